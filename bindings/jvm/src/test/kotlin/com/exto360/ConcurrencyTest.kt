package com.exto360

import com.exto360.testing.Emulator
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.util.concurrent.CancellationException
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicReference
import kotlin.concurrent.thread

/** Cancellation leaves nothing running; one client serves many threads. */
class ConcurrencyTest : EmulatorTest(ClientTest.bigDataset(20_000)) {
    private fun latency(ms: Int) = emu.setFaults(listOf(Json.parseToJsonElement("""{"kind": "latency", "latencyMs": $ms}""").jsonObject))

    /** Waits (bounded) until no native call or page stream is left. */
    private fun assertNothingLeft() {
        val deadline = System.nanoTime() + 5_000_000_000
        while (Emulator.liveNativeTasks() != 0L && System.nanoTime() < deadline) Thread.sleep(10)
        assertEquals(0L, Emulator.liveNativeTasks(), "native tasks left running")
    }

    private fun settledRequestCount(): Int {
        var n = emu.journal().size
        while (true) {
            Thread.sleep(400)
            val m = emu.journal().size
            if (m == n) return n
            n = m
        }
    }

    @Test
    fun `cancelling a coroutine mid-iteration stops the prefetch and leaves no task`() = runBlocking {
        latency(150)
        var seen = 0
        val pageTwoDone = CompletableDeferred<Unit>()
        val job = launch(Dispatchers.Default) {
            client.masters("BIG").iter().collect {
                seen++
                if (seen == 2000) pageTwoDone.complete(Unit)
            }
        }
        pageTwoDone.await()
        delay(50) // the collector now waits on page 3 (a native call in flight) or its prefetch
        job.cancel()
        job.join()
        assertTrue(job.isCancelled)
        assertTrue(seen in 2000 until 20_000, "stopped part-way: $seen")
        assertNothingLeft()
        val sent = settledRequestCount()
        val delivered = (seen + 999) / 1000
        // The core holds at most one page ready and fetches one more; the rest is never asked for.
        assertTrue(sent <= delivered + 2 && sent < 20, "$delivered pages delivered, $sent requests sent")
    }

    @Test
    fun `withTimeout cancels a slow call at once`() = runBlocking {
        latency(3000)
        val t0 = System.nanoTime()
        assertThrows(TimeoutCancellationException::class.java) { runBlocking { withTimeout(200) { client.health.readiness() } } }
        assertTrue(System.nanoTime() - t0 < 2_500_000_000, "the call did not wait for the answer")
        assertNothingLeft()
    }

    @Test
    fun `an iteration stopped early from Java (close) leaves no task`() {
        client.masters("BIG").iterBlocking().use { it ->
            repeat(1500) { _ -> it.next() }
        }
        assertNothingLeft()
        val stream = client.masters("BIG").iterBlocking(ListOptions(pageSize = 500)).stream()
        assertEquals(700, stream.use { s -> s.limit(700).count() })
        assertNothingLeft()
    }

    @Test
    fun `interrupting a thread blocked in a call cancels it`() {
        latency(3000)
        val caught = AtomicReference<Throwable>()
        val interrupted = AtomicReference<Boolean>()
        val t = thread {
            try {
                client.health.readinessBlocking()
            } catch (e: Throwable) {
                caught.set(e)
                interrupted.set(Thread.currentThread().isInterrupted)
            }
        }
        Thread.sleep(200)
        val t0 = System.nanoTime()
        t.interrupt()
        t.join(5000)
        assertTrue(System.nanoTime() - t0 < 2_500_000_000, "the thread did not wait for the answer")
        assertTrue(caught.get() is CancellationException, caught.get().toString())
        assertEquals(true, interrupted.get(), "the interrupt flag is set again")
        assertNothingLeft()
    }

    @Test
    fun `many threads share one client`() {
        val threads = 16
        val calls = 25
        val errors = ConcurrentLinkedQueue<Throwable>()
        val counts = ConcurrentLinkedQueue<Int>()
        val start = CountDownLatch(1)
        val workers = (0 until threads).map { i ->
            thread {
                start.await()
                try {
                    repeat(calls) { k ->
                        val page = client.masters("BIG").listBlocking(ListOptions(page = 1 + (i * calls + k) % 20, pageSize = 1000))
                        counts.add(page.rows.size)
                        check(page.rows.all { it.getValue("_id").jsonPrimitive.content.isNotEmpty() })
                    }
                } catch (e: Throwable) {
                    errors.add(e)
                }
            }
        }
        start.countDown()
        workers.forEach { it.join() }
        assertEquals(emptyList<Throwable>(), errors.toList())
        assertEquals(List(threads * calls) { 1000 }, counts.toList())
        assertEquals(threads * calls, emu.journal().size)
        assertNothingLeft()
    }

    @Test
    fun `many coroutines iterate at once`() = runBlocking {
        val totals = (0 until 8).map { async(Dispatchers.Default) { var n = 0; client.masters("BIG").iter(ListOptions(pageSize = 1000)).collect { n++ }; n } }.awaitAll()
        assertEquals(List(8) { 20_000 }, totals)
        assertNothingLeft()
    }
}
