// Logs its own pid and the processes of its pids cgroup: cgroup v1's pids hierarchy if mounted,
// else cgroup v2 (found as ProcessCgroups finds them, from /proc/self/mountinfo and /proc/self/cgroup).
const fs = require('fs')
const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map((line) => {
  const [before, after] = line.split(' - ')
  const [type, , options] = after.split(' ')
  return { point: before.split(' ')[4], type, options: options.split(',') }
})
const cgroups = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').filter(Boolean)
const v1 = mounts.find((m) => m.type === 'cgroup' && m.options.includes('pids'))
const own = v1
  ? cgroups.find((l) => l.split(':')[1].split(',').includes('pids'))
  : cgroups.find((l) => l.startsWith('0::'))
const mount = v1 || mounts.find((m) => m.type === 'cgroup2')
const procs = fs.readFileSync(mount.point + own.split(':')[2] + '/cgroup.procs', 'utf8').trim().split('\n')
console.log(JSON.stringify({ type: 'info', message: 'census ' + process.pid + ' ' + procs.join(',') }))
