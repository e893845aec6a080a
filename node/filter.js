'use strict'
// A builder for the API's record filter grammar, mirroring the Rust core's:
//   Filter.field('serial_number').number().gt(1000).and(Filter.field('email_id').string().contains('john'))
// `and` binds tighter than `or`, as `:and:` does in the grammar. Rendering and every check happen
// in the core; an invalid filter throws InvalidInputError from toString() or the list call.

const { renderFilter } = require('./native.js')
const { fromNative } = require('./errors.js')

class Filter {
  constructor(spec) {
    this.spec = spec
  }
  static field(name) {
    return new Field(name, null)
  }
  and(other) {
    return new Filter({ and: [...chain('and', this.spec), ...chain('and', asSpec(other))] })
  }
  or(other) {
    return new Filter({ or: [...chain('or', this.spec), ...chain('or', asSpec(other))] })
  }
  /** The filter in the API's grammar. Throws InvalidInputError when it cannot be sent. */
  render() {
    try {
      return renderFilter(JSON.stringify(this.spec))
    } catch (e) {
      throw fromNative(e)
    }
  }
  toString() {
    return this.render()
  }
  toJSON() {
    return this.spec
  }
}

function asSpec(f) {
  if (!(f instanceof Filter)) throw new TypeError('can only combine Filter objects')
  return f.spec
}

// `a.and(b).and(c)` stays one flat `and` of three however long the chain: nesting is kept only
// where `and` and `or` alternate.
function chain(op, spec) {
  const keys = Object.keys(spec)
  return keys.length === 1 && keys[0] === op && Array.isArray(spec[op]) ? spec[op] : [spec]
}

const dateText = (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)
// Integers beyond 2^53 cannot be JS numbers: a BigInt (or a decimal string) keeps every digit.
const plain = (v) => (typeof v === 'bigint' ? v.toString() : Array.isArray(v) ? v.map(plain) : v)

class Field {
  constructor(name, type) {
    this.name = name
    this.type = type
  }
  c(op, value) {
    const spec = { field: this.name, op }
    if (this.type) spec.type = this.type
    if (value !== undefined) spec.value = plain(this.type === 'DATE' ? dateText(value) : value)
    return new Filter(spec)
  }
  number() { return new Field(this.name, 'NUMBER') }
  string() { return new Field(this.name, 'STRING') }
  date() { return new Field(this.name, 'DATE') }
  primitive() { return new Field(this.name, 'PRIMITIVE') }
  eq(v) { return this.c('eq', v) }
  ne(v) { return this.c('ne', v) }
  gt(v) { return this.c('gt', v) }
  ge(v) { return this.c('ge', v) }
  lt(v) { return this.c('lt', v) }
  le(v) { return this.c('le', v) }
  contains(v) { return this.c('contains', v) }
  notContains(v) { return this.c('not_contains', v) }
  startsWith(v) { return this.c('starts_with', v) }
  endsWith(v) { return this.c('ends_with', v) }
  isIn(values) { return this.c('in', Array.from(values)) }
  isBlank() { return this.c('is_blank') }
  isNotBlank() { return this.c('is_not_blank') }
}

module.exports = { Filter, Field }
