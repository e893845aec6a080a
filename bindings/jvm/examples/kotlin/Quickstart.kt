// The Kotlin quick start: the same client with coroutines — suspend calls, a Flow of records,
// structured concurrency and cancellation — against an in-process emulator.
//
// Built with the tests (`make test`), run by `make demo`.

import com.exto360.Exto360Client
import com.exto360.Exto360Exception
import com.exto360.Filter
import com.exto360.ListOptions
import com.exto360.testing.Emulator
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.count
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

fun main(): Unit = runBlocking {
    Emulator(settings = Json.parseToJsonElement("""{"rateLimit": 3}""").jsonObject).use { emu ->
        // Against the real service: Exto360Client.fromEnv() reads EXTO360_TOKEN, EXTO360_PROJECT_ID, ...
        Exto360Client(token = emu.token, baseUrl = emu.url, projectId = "Vx6-j2Z").use { client ->
            // Two calls at once; the client keeps both under the 3 requests/second limit.
            val (locations, modules) = coroutineScope {
                val a = async { client.masters("LOCATION").list(ListOptions(filter = Filter.field("serial_number").number().gt(1000))) }
                val b = async { client.modules("CUSTOMMODULE").list() }
                a.await() to b.await()
            }
            println("LOCATION > 1000: ${locations.rows.size} of ${locations.total}; CUSTOMMODULE: ${modules.total}")

            val codes = client.masters("LOCATION").iter(ListOptions(pageSize = 2)).map { it["customFields"]!!.jsonObject["code"]!!.jsonPrimitive.content }.toList()
            println("iterated (pages of 2): $codes")
            println("first 3 users: ${client.users.iter().take(3).count()}")

            val res = client.masters("VENDOR").upsert((0 until 1500).map { mapOf("vendor_id" to "V$it") })
            println("upsert: ${res.insertedCount} inserted in 2 requests")

            // A call that takes too long is cancelled, and the request with it.
            emu.setFaults(listOf(Json.parseToJsonElement("""{"kind": "latency", "latencyMs": 2000}""").jsonObject))
            println("with a 300 ms budget: ${withTimeoutOrNull(300) { client.health.readiness() } ?: "cancelled"}")
            emu.setFaults(emptyList())

            try {
                client.users.get("ghost@exto360.com")
            } catch (e: Exto360Exception) {
                println("expected error: ${e::class.simpleName} (${e.code}) status=${e.status}")
            }
        }
    }
}
