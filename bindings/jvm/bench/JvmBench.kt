// The JVM benchmark (issue 15), run by bench/jvm_bench.sh with `make bench`; built with the tests.
// Iterate 100,000 records from an emulator in another process and measure the CPU time of this
// whole JVM process (every thread: the client's native runtime, GC and JIT included), per pass,
// best of 5 rounds of 3 passes after 3 warm-up rounds of each way:
//   - exto360 `iter` as a Flow (Kotlin) and `iterBlocking` (Java),
//   - java.net.http.HttpClient + kotlinx.serialization by hand, over the same pages.
// And `memory URL`: peak RSS of a JVM started with a 64 MB heap iterating every record (1,000,000
// in bench/jvm_bench.sh) as a Flow — it could not hold them all.
// Prints figures; never fails on time. Usage: JvmBenchKt URL [RUST_CORE_CPU_SECONDS] | memory URL
package com.exto360.bench

import com.exto360.Exto360Client
import com.exto360.ListOptions
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import java.lang.management.ManagementFactory
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

private val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

private class Run(val cpu: Double, val wall: Double, val rows: Int)

/** Best of [rounds], each [PASSES] passes (the process CPU clock ticks in 10 ms), per pass. */
private fun measure(rounds: Int, block: () -> Int): Run = (0 until rounds).map {
    val c0 = os.processCpuTime
    val w0 = System.nanoTime()
    val n = (0 until PASSES).sumOf { block() } / PASSES
    Run((os.processCpuTime - c0) / 1e9 / PASSES, (System.nanoTime() - w0) / 1e9 / PASSES, n)
}.minBy { it.cpu }

private const val PASSES = 3

/** Peak resident memory of this process, in MB (VmHWM). */
private fun peakRss(): Double = java.io.File("/proc/self/status").readLines().first { it.startsWith("VmHWM:") }.split(Regex("\\s+"))[1].toDouble() / 1024

private fun memory(url: String) {
    Exto360Client(token = "bench", baseUrl = url, rateLimit = 0.0).use { client ->
        val before = peakRss()
        val t0 = System.nanoTime()
        var n = 0
        runBlocking { client.masters("BIG").iter().collect { if (it["_id"] != null) n++ } }
        println(
            "jvm iter memory: %,d records in %.1f s, peak RSS %.1f MB (before iterating %.1f MB; heap limit %d MB)"
                .format(n, (System.nanoTime() - t0) / 1e9, peakRss(), before, Runtime.getRuntime().maxMemory() / 1024 / 1024),
        )
    }
}

fun main(args: Array<String>) {
    if (args[0] == "memory") return memory(args[1])
    val url = args[0]
    val rust = args.getOrNull(1)?.toDoubleOrNull()
    val client = Exto360Client(token = "bench", baseUrl = url, rateLimit = 0.0)
    val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

    val flow = {
        var n = 0
        runBlocking { client.masters("BIG").iter(ListOptions(pageSize = 1000)).collect { if (it["_id"] != null) n++ } }
        n
    }
    val blocking = {
        var n = 0
        client.masters("BIG").iterBlocking(ListOptions(pageSize = 1000)).use { it.forEach { r -> if (r["_id"] != null) n++ } }
        n
    }
    val hand = {
        var n = 0
        var page = 1
        while (true) {
            val req = HttpRequest.newBuilder(URI.create("$url/api/v1/master-record/BIG?page=$page&pageSize=1000")).header("authorization", "Bearer bench").build()
            val body = Json.parseToJsonElement(http.send(req, HttpResponse.BodyHandlers.ofString()).body()).jsonObject
            for (r in body.getValue("rows").jsonArray) if (r.jsonObject["_id"] != null) n++
            if (page >= body.getValue("totalPages").jsonPrimitive.long) break
            page++
        }
        n
    }

    val ways = linkedMapOf("exto360 iter (Flow)" to flow, "exto360 iterBlocking" to blocking, "HttpClient + kotlinx" to hand)
    for (way in ways.values) measure(3, way) // JIT warm-up, connections
    val results = ways.mapValues { (_, way) -> measure(5, way) }
    val base = results.getValue("HttpClient + kotlinx").cpu
    for ((name, r) in results) {
        val vsRust = rust?.let { " = %.2f× Rust core iter".format(r.cpu / it) } ?: ""
        println("jvm iterate 100,000: %-22s %.3f s CPU (%.2f s wall, %d rows) → %.2f× HttpClient + kotlinx%s".format(name, r.cpu, r.wall, r.rows, r.cpu / base, vsRust))
    }
    val ours = results.getValue("exto360 iter (Flow)").cpu
    val rustText = rust?.let { "%.2f× the Rust core's iter (%.3f s; goal ≤ 1.5×)".format(ours / it, it) } ?: "Rust core figure not given"
    println("jvm iterate 100,000: goals → exto360 Flow is $rustText and %.2f× HttpClient + kotlinx by hand (goal ≤ 1.0×)".format(ours / base))
    client.close()
}
