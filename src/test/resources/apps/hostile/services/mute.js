// Closes its stdout and stderr, then keeps running.
const fs = require('fs')
fs.closeSync(1)
fs.closeSync(2)
setInterval(() => {}, 1000)
