package org.jobstack.app;

/** The part of {@link AppRepository} written by hand: whether any app still has only a legacy folder. */
public interface LegacyFolders {

    /**
     * Whether an app installed before files were kept in the database is left to import. Plain SQL:
     * the usual answer at start is no, and a JPA query would make Hibernate set up its query
     * parser on the start's path (about 5 % of it).
     */
    boolean anyLegacyFolder();
}
