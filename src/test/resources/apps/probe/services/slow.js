// Three log lines, 300 ms apart, so that a client can follow them live.
let n = 0
const timer = setInterval(() => {
  n++
  console.log(JSON.stringify({ type: 'info', message: 'line ' + n }))
  if (n === 3) clearInterval(timer)
}, 300)
