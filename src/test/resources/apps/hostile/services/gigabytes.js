// Prints 2 GiB of log lines to stdout as fast as the pipe takes them, then exits 0.
const line = 'z'.repeat(1023) + '\n'
const chunk = Buffer.from(line.repeat(1024)) // 1 MiB
let left = 2048
function write() {
  while (left > 0) {
    left--
    if (!process.stdout.write(chunk)) {
      process.stdout.once('drain', write)
      return
    }
  }
}
write()
