// does nothing
