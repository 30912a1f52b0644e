// A standby service process (written into its run directory as .jobstack-standby.js). Node has
// started; it waits, idle, for Jobstack to rename the job's hand-off file into the directory,
// then becomes exactly what `node <run directory>` would have been: the hand-off and this script
// deleted, the environment replaced by the job's, argv[1] the run directory, index.js run as
// the main module. It runs one job and exits with it.
'use strict'
const fs = require('fs')
const path = require('path')
const Module = require('module')

const script = process.argv[1]
const dir = path.dirname(script)
const handOff = path.join(dir, '.jobstack-job.json')
let started = false

function startWhenHandedOff() {
  if (started) return
  let job
  try {
    job = JSON.parse(fs.readFileSync(handOff, 'utf8'))
  } catch (e) {
    if (e.code === 'ENOENT') return
    throw e
  }
  started = true
  watcher.close()
  fs.unlinkSync(handOff)
  fs.unlinkSync(script)
  for (const name of Object.keys(process.env)) delete process.env[name]
  Object.assign(process.env, job.env)
  process.argv[1] = dir
  Module.runMain()
}

const watcher = fs.watch(dir, startWhenHandedOff)
startWhenHandedOff()
