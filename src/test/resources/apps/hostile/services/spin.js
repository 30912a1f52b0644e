// Spins on the CPU without end.
for (;;) {}
