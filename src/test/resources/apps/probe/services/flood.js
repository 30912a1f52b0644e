// Floods stdout: a 5 MB line without a newline, then 100 000 lines, as fast as node writes.
process.stdout.write('x'.repeat(5 * 1024 * 1024))
process.stdout.write('\n')
for (let i = 0; i < 100000; i++) {
  process.stdout.write('line ' + i + ' ' + 'y'.repeat(20) + '\n')
}
process.stderr.write('e'.repeat(400 * 1024))
