package com.exto360

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.time.temporal.TemporalAccessor

/**
 * JSON in and out of the native library. Rows and API documents are
 * `kotlinx.serialization.json` values: `JsonObject` is a read-only `Map<String, JsonElement>`
 * usable from Java too, and numbers keep their exact digits (an id beyond 2^53 is not rounded).
 */
internal object JsonValues {
    /** Deepest nesting accepted from callers' maps and lists (a cycle must not overflow the stack). */
    const val MAX_DEPTH = 128

    fun parse(text: String): JsonElement = Json.parseToJsonElement(text)

    /**
     * A caller's value as JSON: `JsonElement`s as they are; `Map` (string keys), `Iterable`,
     * arrays, `String`, `Number`, `Boolean`, `Char`, enums, `null`, and `java.time` values
     * (as their ISO text). Anything else is an [Exto360Exception.InvalidInput] naming where.
     */
    fun of(v: Any?, path: String, depth: Int = 0): JsonElement {
        if (depth > MAX_DEPTH) throw Exto360Exception.invalidInput("$path nests deeper than $MAX_DEPTH levels (a map or list that contains itself?)")
        return when (v) {
            null -> JsonNull
            is JsonElement -> v
            is String -> JsonPrimitive(v)
            is Boolean -> JsonPrimitive(v)
            is Double, is Float -> {
                val d = (v as Number).toDouble()
                if (d.isNaN() || d.isInfinite()) throw Exto360Exception.invalidInput("$path is $d, which JSON cannot carry")
                JsonPrimitive(v)
            }
            is Number -> JsonPrimitive(v)
            is Char -> JsonPrimitive(v.toString())
            is Enum<*> -> JsonPrimitive(v.name)
            is TemporalAccessor -> JsonPrimitive(v.toString())
            is Map<*, *> -> JsonObject(
                v.entries.associate { (k, x) ->
                    val key = k as? String ?: throw Exto360Exception.invalidInput("$path has a key that is not a string: $k")
                    key to of(x, "$path.$key", depth + 1)
                },
            )
            is Iterable<*> -> JsonArray(v.mapIndexed { i, x -> of(x, "$path[$i]", depth + 1) })
            is Array<*> -> JsonArray(v.mapIndexed { i, x -> of(x, "$path[$i]", depth + 1) })
            else -> throw Exto360Exception.invalidInput("$path: a ${v.javaClass.name} cannot be sent as JSON")
        }
    }

    /**
     * `records` as a JSON array. Read as `Iterable<*>`: a Java caller with raw types can pass
     * anything, and what is not an object is then refused by the core with a clear error.
     */
    fun objects(records: Iterable<Map<String, *>>, what: String): JsonArray =
        JsonArray((records as Iterable<*>).mapIndexed { i, r -> r as? JsonObject ?: of(r, "$what[$i]") })

    fun strings(items: Iterable<String>): JsonArray = JsonArray(items.map(::JsonPrimitive))
}
