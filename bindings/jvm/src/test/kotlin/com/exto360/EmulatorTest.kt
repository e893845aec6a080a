package com.exto360

import com.exto360.testing.Emulator
import kotlinx.serialization.json.JsonObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.TestInstance

/** One emulator and one client per test class; the emulator is reset before every test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmulatorTest(
    dataset: JsonObject? = null,
    token: String? = null,
    makeClient: (Emulator) -> Exto360Client = { Exto360Client(token = it.token, baseUrl = it.url, rateLimit = 0.0) },
) {
    protected val emu = Emulator(dataset, null, token)
    protected val client = makeClient(emu)

    @BeforeEach
    fun resetEmulator() = emu.reset()

    @AfterAll
    fun closeAll() {
        client.close()
        emu.close()
    }
}
