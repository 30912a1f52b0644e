// A standby service process (written into its run directory as .jobstack-standby.js). Node has
// started; it waits, idle, for Jobstack to rename the job's hand-off file into the directory,
// then becomes exactly what `node <run directory>` would have been: the hand-off, the wake-up
// FIFO and this script deleted, the environment replaced by the job's, argv[1] the run directory,
// index.js run as the main module. It runs one job and exits with it.
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
  fs.unlinkSync(script)
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

const wakeFd = openWakeFifo()
if (wakeFd !== null) {
  const byte = Buffer.alloc(1)
  while (!startWhenHandedOff()) fs.readSync(wakeFd, byte, 0, 1, null)
} else {
  watcher = fs.watch(dir, startWhenHandedOff)
  startWhenHandedOff()
}
