// Allocates memory without end.
const kept = []
for (;;) kept.push(new Array(1e6).fill(1.5))
