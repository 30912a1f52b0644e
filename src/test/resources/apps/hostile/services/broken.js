// Cannot even be parsed: node fails at start.
const = ;
