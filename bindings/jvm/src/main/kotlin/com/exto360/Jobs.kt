package com.exto360

import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.time.Duration
import java.util.concurrent.CancellationException
import java.util.function.Function

/** A job being reported: created by [Jobs.start] or [Jobs.run]; log lines go to it. */
class JobRun internal constructor(private val jobs: Jobs, val id: String) {
    /** Appends a log line ([level] null: the server's `info`). */
    @JvmSynthetic
    suspend fun log(message: String, level: String? = null) = jobs.log(id, message, level)
    @JvmOverloads
    fun logBlocking(message: String, level: String? = null) = blocking { log(message, level) }

    override fun toString(): String = "JobRun($id)"
}

/**
 * `client.jobs`: job status and log lines of the client's project. A status is one of
 * [NOT_STARTED], [IN_PROGRESS], [COMPLETED], [FAILED]; a job type one of the API's (`Import`,
 * `Load`, ...; the server checks it).
 */
class Jobs internal constructor(private val api: Api) {
    /** Creates a job from the API's fields (`jobTitle`, `jobType`, `status`?, `createdBy`?, `log`?, `meta`?, ...; `projectID` defaults to the client's); returns its id. */
    @JvmSynthetic
    suspend fun create(job: Map<String, *>): String = id(api.call("jobs.create", args("job" to JsonValues.of(job, "job"))))
    fun createBlocking(job: Map<String, *>): String = blocking { create(job) }

    /** Creates a job [IN_PROGRESS]; end it with [update] (`Completed`) or [fail] — or use [run], which does. */
    @JvmSynthetic
    suspend fun start(title: String, type: String): JobRun = JobRun(this, id(api.call("jobs.start", args("title" to text(title), "type" to text(type)))))
    fun startBlocking(title: String, type: String): JobRun = blocking { start(title, type) }

    /** One page of jobs (pageSize default 50, at most 200) of [projectId] (default: the client's project). */
    @JvmSynthetic
    suspend fun list(projectId: String? = null, page: Int = 1, pageSize: Int = 50): Page<JsonObject> =
        Page.fromJson(api.call("jobs.list", args("projectId" to text(projectId), "page" to number(page), "pageSize" to number(pageSize))).jsonObject)
    @JvmOverloads
    fun listBlocking(projectId: String? = null, page: Int = 1, pageSize: Int = 50): Page<JsonObject> = blocking { list(projectId, page, pageSize) }

    /** Sets job [id]'s [status], with its [duration] (sent in ms) and [completedAt] (ISO time) when given. */
    @JvmSynthetic
    suspend fun update(id: String, status: String, duration: Duration? = null, completedAt: String? = null) {
        api.call("jobs.update", args("id" to text(id), "status" to text(status), "duration" to duration?.let { JsonPrimitive(it.toMillis()) }, "completedAt" to text(completedAt)))
    }
    @JvmOverloads
    fun updateBlocking(id: String, status: String, duration: Duration? = null, completedAt: String? = null) = blocking { update(id, status, duration, completedAt) }

    /** Appends a log line to job [id] ([level] null: the server's `info`). */
    @JvmSynthetic
    suspend fun log(id: String, message: String, level: String? = null) {
        api.call("jobs.log", args("id" to text(id), "message" to text(message), "level" to text(level)))
    }
    @JvmOverloads
    fun logBlocking(id: String, message: String, level: String? = null) = blocking { log(id, message, level) }

    /** Logs [message] at level `error` on job [id], then sets it [FAILED]. */
    @JvmSynthetic
    suspend fun fail(id: String, message: String? = null) {
        api.call("jobs.fail", args("id" to text(id), "message" to text(message)))
    }
    @JvmOverloads
    fun failBlocking(id: String, message: String? = null) = blocking { fail(id, message) }

    /**
     * Runs [block] as a job: created [IN_PROGRESS]; set [COMPLETED] with its duration when the
     * block returns; if it throws (or is cancelled), the error is logged at level `error`, the
     * job set [FAILED] and the exception rethrown — a failure to report that is added to it as
     * suppressed, never in its place.
     */
    @JvmSynthetic
    suspend fun <T> run(title: String, type: String, block: suspend (JobRun) -> T): T {
        val job = start(title, type)
        val started = System.nanoTime()
        val result = try {
            block(job)
        } catch (e: Throwable) {
            withContext(NonCancellable) { reportFailure(job, e) { fail(job.id, it) } }
            throw e
        }
        update(job.id, COMPLETED, Duration.ofNanos(System.nanoTime() - started))
        return result
    }

    /** [run] for Java and plain threads: `client.getJobs().runBlocking("Nightly load", "Load", job -> { job.logBlocking("..."); return n; })`. */
    fun <T> runBlocking(title: String, type: String, block: Function<JobRun, T>): T {
        val job = startBlocking(title, type)
        val started = System.nanoTime()
        val result = try {
            block.apply(job)
        } catch (e: Throwable) {
            reportFailure(job, e) { failBlocking(job.id, it) }
            throw e
        }
        updateBlocking(job.id, COMPLETED, Duration.ofNanos(System.nanoTime() - started))
        return result
    }

    private inline fun reportFailure(job: JobRun, e: Throwable, fail: (String) -> Unit) {
        val line = if (e is CancellationException) "cancelled" else e.message?.let { "${e.javaClass.simpleName}: $it" } ?: e.javaClass.simpleName
        try {
            fail(line)
        } catch (f: Exception) {
            e.addSuppressed(f)
        }
    }

    private fun id(e: kotlinx.serialization.json.JsonElement): String = e.jsonObject.getValue("id").jsonPrimitive.content

    override fun toString(): String = "Jobs"

    companion object {
        const val NOT_STARTED = "Not Started"
        const val IN_PROGRESS = "In Progress"
        const val COMPLETED = "Completed"
        const val FAILED = "Failed"
    }
}
