'use strict'
// The one way JavaScript runs a core operation: JSON in, JSON out, native errors mapped to the
// exported classes.

const { fromNative } = require('./errors.js')

async function call(n, op, args) {
  let text
  try {
    text = await n.call(op, JSON.stringify(args ?? {}))
  } catch (e) {
    throw fromNative(e)
  }
  return JSON.parse(text)
}

module.exports = { call }
