// A standby service process (written into its run directory as .jobstack-standby.js, which it
// deletes once loaded). Node has started; it runs the hand-off's code paths once on files of its
// own (node compiles a function on its first call, and creates process.stdout, process.stderr and
// performance on their first use: paid here, not by the job), waits, idle, for Jobstack to rename
// the job's hand-off file into the directory, then becomes exactly what `node <run directory>`
// would have been: the hand-off and the wake-up FIFO deleted, the environment replaced by the
// job's, argv[1] the run directory, index.js run as the main module. It runs one job and exits.
//
// It waits blocked on a FIFO of its own, into which Jobstack writes a byte after the rename (a
// blocking read wakes sooner than fs.watch). The FIFO is opened read-write before it is given its
// name, so that a byte written as soon as the name exists is never lost, and the hand-off is looked
// for once more after that, for one renamed before. Without mkfifo it watches the directory.
'use strict'
const fs = require('fs')
const path = require('path')
const Module = require('module')

const script = process.argv[1]
const dir = path.dirname(script)
const handOff = path.join(dir, '.jobstack-job.json')
const wake = path.join(dir, '.jobstack-wake')
let started = false
let watcher = null

function startWhenHandedOff() {
  if (started) return true
  let job
  try {
    job = JSON.parse(fs.readFileSync(handOff, 'utf8'))
  } catch (e) {
    if (e.code === 'ENOENT') return false
    throw e
  }
  started = true
  if (watcher !== null) watcher.close()
  if (wakeFd !== null) {
    fs.closeSync(wakeFd)
    fs.unlinkSync(wake)
  }
  fs.unlinkSync(handOff)
  for (const name of Object.keys(process.env)) delete process.env[name]
  Object.assign(process.env, job.env)
  process.argv[1] = dir
  Module.runMain()
  return true
}

function openWakeFifo() {
  const part = wake + '.part'
  try {
    require('child_process').execFileSync('mkfifo', ['-m', '600', part], { stdio: 'ignore' })
    const fd = fs.openSync(part, 'r+')
    fs.renameSync(part, wake)
    return fd
  } catch (e) {
    fs.rmSync(part, { force: true })
    return null
  }
}

// Without it, a job runs these steps as cold code: a JSON file read, parsed and deleted, a
// directory's index.js resolved and loaded. The module is dropped from the cache again.
function warmUp() {
  const warm = path.join(dir, '.jobstack-warm')
  fs.mkdirSync(warm)
  const file = path.join(warm, 'job.json')
  fs.writeFileSync(file, JSON.stringify({ env: { JOBSTACK: 'warm' } }))
  JSON.parse(fs.readFileSync(file, 'utf8'))
  fs.unlinkSync(file)
  fs.writeFileSync(path.join(warm, 'index.js'), 'module.exports = 1\n')
  const main = require.resolve(warm)
  require(main)
  delete require.cache[main]
  fs.unlinkSync(main)
  fs.rmdirSync(warm)
  void [process.stdout, process.stderr, performance.now()]
}

// Deleting a file written a while ago costs ext4 a block release: done now, not at the hand-off.
// Nor is this script left among the modules the job can see.
fs.unlinkSync(script)
delete require.cache[__filename]
warmUp()
const wakeFd = openWakeFifo()
if (wakeFd !== null) {
  const byte = Buffer.alloc(1)
  while (!startWhenHandedOff()) fs.readSync(wakeFd, byte, 0, 1, null)
} else {
  watcher = fs.watch(dir, startWhenHandedOff)
  startWhenHandedOff()
}
