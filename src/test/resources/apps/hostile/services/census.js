// Logs its own pid and the processes of its pids cgroup (cgroup v1's pids hierarchy, or cgroup v2).
const fs = require('fs')
const lines = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n')
const own = lines.find((l) => /^\d+:([^:]*,)?pids(,[^:]*)?:/.test(l)) || lines.find((l) => l.startsWith('0::'))
const path = own.split(':')[2]
const roots = ['/sys/fs/cgroup/pids', '/sys/fs/cgroup/unified', '/sys/fs/cgroup']
const dir = roots.map((r) => r + path).find((d) => fs.existsSync(d + '/cgroup.procs'))
const procs = fs.readFileSync(dir + '/cgroup.procs', 'utf8').trim().split('\n')
console.log(JSON.stringify({ type: 'info', message: 'census ' + process.pid + ' ' + procs.join(',') }))
