package org.jobstack.web;

class H2PaginationTest extends AbstractPaginationTest {}
