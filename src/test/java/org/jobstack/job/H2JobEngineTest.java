package org.jobstack.job;

class H2JobEngineTest extends AbstractJobEngineTest {}
