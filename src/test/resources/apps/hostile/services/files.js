// Opens files without end.
const fs = require('fs')
const kept = []
for (;;) kept.push(fs.openSync(__filename, 'r'))
