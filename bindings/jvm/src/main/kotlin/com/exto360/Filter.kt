package com.exto360

import com.exto360.ffi.renderFilter
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.time.LocalDate

/**
 * A record filter in the API's grammar, built like the Rust core's:
 *
 * ```
 * Filter.field("serial_number").number().gt(1000) and Filter.field("email_id").string().contains("john")
 * ```
 *
 * `and` binds tighter than `or`, as `:and:` does in the grammar. Rendering and every check
 * happen in the core: an invalid filter is an [Exto360Exception.InvalidInput] from [render]
 * or from the list call. [raw] passes a filter string as it is.
 */
class Filter private constructor(internal val spec: JsonElement) {
    /** Both filters (`:and:`); chains stay flat however long. */
    infix fun and(other: Filter): Filter = combine("and", other)

    /** Either filter (`:or:`). */
    infix fun or(other: Filter): Filter = combine("or", other)

    private fun combine(op: String, other: Filter): Filter {
        if (spec is JsonPrimitive || other.spec is JsonPrimitive) {
            throw Exto360Exception.invalidInput("a raw filter string cannot be combined with another filter: write the whole filter as one string")
        }
        return Filter(JsonObject(mapOf(op to JsonArray(chain(op, spec) + chain(op, other.spec)))))
    }

    /** The filter in the API's grammar, e.g. `serial_number:NUMBER:gt:1000`. */
    fun render(): String = if (spec is JsonPrimitive) spec.content else native { renderFilter(spec.toString()) }

    /** The rendered filter, or a note saying why it cannot be sent. */
    override fun toString(): String = try {
        render()
    } catch (e: Exto360Exception) {
        "Filter(invalid: ${e.message})"
    }

    override fun equals(other: Any?): Boolean = other is Filter && other.spec == spec
    override fun hashCode(): Int = spec.hashCode()

    companion object {
        /** Conditions on the field [name] (a custom field, or a record attribute such as `status`). */
        @JvmStatic
        fun field(name: String): Field = Field(name, null)

        /** A filter string sent as it is, e.g. `"status:eq:Draft"`. */
        @JvmStatic
        fun raw(filter: String): Filter = Filter(JsonPrimitive(filter))

        internal fun condition(field: String, type: String?, op: String, value: Any?, hasValue: Boolean): Filter {
            val m = linkedMapOf<String, JsonElement>("field" to JsonPrimitive(field), "op" to JsonPrimitive(op))
            if (type != null) m["type"] = JsonPrimitive(type)
            if (hasValue) m["value"] = JsonValues.of(if (value is LocalDate) value.toString() else value, "filter value of '$field'")
            return Filter(JsonObject(m))
        }

        /** `a.and(b).and(c)` stays one flat `and` of three: nesting only where `and` and `or` alternate. */
        private fun chain(op: String, spec: JsonElement): List<JsonElement> =
            if (spec is JsonObject && spec.size == 1 && spec[op] is JsonArray) spec.getValue(op) as JsonArray else listOf(spec)
    }
}

/**
 * The conditions on one field. Without a type the condition is rendered as `field:op:value`;
 * [number], [string], [date] and [primitive] add the API's type token. A DATE condition needs
 * `localTimeZone` in the list options.
 */
class Field internal constructor(val name: String, val type: String?) {
    fun number(): Field = Field(name, "NUMBER")
    fun string(): Field = Field(name, "STRING")
    /** Values are `java.time.LocalDate` or `yyyy-MM-dd` text. */
    fun date(): Field = Field(name, "DATE")
    fun primitive(): Field = Field(name, "PRIMITIVE")

    private fun c(op: String, value: Any?, hasValue: Boolean = true) = Filter.condition(name, type, op, value, hasValue)

    fun eq(value: Any?): Filter = c("eq", value)
    fun ne(value: Any?): Filter = c("ne", value)
    fun gt(value: Any?): Filter = c("gt", value)
    fun ge(value: Any?): Filter = c("ge", value)
    fun lt(value: Any?): Filter = c("lt", value)
    fun le(value: Any?): Filter = c("le", value)
    fun contains(value: Any?): Filter = c("contains", value)
    fun notContains(value: Any?): Filter = c("not_contains", value)
    fun startsWith(value: Any?): Filter = c("starts_with", value)
    fun endsWith(value: Any?): Filter = c("ends_with", value)
    /** The field equals one of [values] (`in`). */
    fun isIn(values: Iterable<*>): Filter = c("in", values.toList())
    fun isBlank(): Filter = c("is_blank", null, hasValue = false)
    fun isNotBlank(): Filter = c("is_not_blank", null, hasValue = false)
}
