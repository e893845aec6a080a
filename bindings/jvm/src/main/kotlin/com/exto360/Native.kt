package com.exto360

import com.exto360.ffi.InternalException
import com.exto360.ffi.NativeClient
import com.exto360.ffi.NativeException
import com.exto360.ffi.NativePager
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.transform
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.CancellationException
import java.util.stream.Stream
import java.util.stream.StreamSupport

/** Runs [block] with the native library's failures turned into [Exto360Exception]s — the one mapping. */
internal inline fun <T> native(block: () -> T): T = try {
    block()
} catch (e: NativeException.Failed) {
    throw Exto360Exception.fromJson(e.json)
} catch (e: InternalException) {
    throw Exto360Exception.of(Exto360Exception.Info("internal error: ${e.message}", "internal"))
}

/**
 * The blocking form of a suspend call, for Java and plain threads. An interrupt of the waiting
 * thread cancels the call (the native task is aborted) and throws [CancellationException] with
 * the thread's interrupt flag set again.
 */
internal fun <T> blocking(block: suspend () -> T): T = try {
    runBlocking { block() }
} catch (e: InterruptedException) {
    Thread.currentThread().interrupt()
    throw CancellationException("interrupted").apply { initCause(e) }
}

/** One client's way to the native library: an operation of `exto360::json` and its JSON answer. */
internal class Api(val client: NativeClient) {
    suspend fun call(op: String, args: JsonObject): JsonElement = native { JsonValues.parse(client.call(op, args.toString())) }

    fun pager(op: String, args: JsonObject): NativePager = native { client.pages(op, args.toString()) }

    /**
     * Every item of an iteration (a page, or an expanded record for `modules.expand`) as a cold
     * flow; the native prefetch stops when it ends or is cancelled.
     */
    fun items(op: String, args: JsonObject): Flow<JsonObject> = flow {
        val pager = pager(op, args)
        try {
            while (true) {
                val text = native { pager.next() } ?: break
                emit(JsonValues.parse(text).jsonObject)
            }
        } finally {
            pager.stop()
            pager.close()
        }
    }

    fun pages(op: String, args: JsonObject): Flow<Page<JsonObject>> = items(op, args).map { Page.fromJson(it) }

    fun rows(op: String, args: JsonObject): Flow<JsonObject> = pages(op, args).transform { p -> p.rows.forEach { emit(it) } }

    fun itemsBlocking(op: String, args: JsonObject): CloseableIterator<JsonObject> = CloseableIterator(pager(op, args)) { listOf(it) }

    fun pagesBlocking(op: String, args: JsonObject): CloseableIterator<Page<JsonObject>> = CloseableIterator(pager(op, args)) { listOf(Page.fromJson(it)) }

    fun rowsBlocking(op: String, args: JsonObject): CloseableIterator<JsonObject> = CloseableIterator(pager(op, args)) { Page.fromJson(it).rows }
}

/**
 * Items of an iteration for Java and plain threads: one page in memory at a time (and one
 * fetched ahead in the background). Close it — or the [stream] — when you stop early; reaching
 * the end or an error closes it by itself.
 */
class CloseableIterator<T> internal constructor(
    private val pager: NativePager,
    private val items: (JsonObject) -> List<T>,
) : Iterator<T>, AutoCloseable {
    private var current: Iterator<T> = emptyList<T>().iterator()
    private var closed = false

    override fun hasNext(): Boolean {
        while (!current.hasNext()) {
            if (closed) return false
            val text = try {
                blocking { native { pager.next() } }
            } catch (e: Throwable) {
                close()
                throw e
            }
            if (text == null) {
                close()
                return false
            }
            current = items(JsonValues.parse(text).jsonObject).iterator()
        }
        return true
    }

    override fun next(): T {
        if (!hasNext()) throw NoSuchElementException()
        return current.next()
    }

    /** Stops the background fetching and frees the native pager; idempotent. */
    override fun close() {
        if (closed) return
        closed = true
        pager.stop()
        pager.close()
    }

    /** The rest of the items as a sequential `Stream` that closes this iterator when closed. */
    fun stream(): Stream<T> =
        StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED or Spliterator.NONNULL), false).onClose(::close)
}

internal fun JsonElement.objects(): List<JsonObject> = jsonArray.map { it.jsonObject }
