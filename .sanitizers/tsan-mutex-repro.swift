// Is a ThreadSanitizer report on state that only Synchronization.Mutex guards a real race?
// Four threads append to one array, every access inside Mutex.withLock; the main thread polls the count.
// Build: swiftc -sanitize=thread -Onone tsan-mutex-repro.swift (`.sanitizers/tsan-mutex-repro.sh` runs both). With MUTEX=pthread the same program
// guards the array with a pthread mutex instead (TSan intercepts pthread_mutex_lock): the control.
import Foundation
import Synchronization

final class PthreadBox: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var items: [Int] = []
    init() { pthread_mutex_init(&lock, nil) }
    func withLock<R>(_ body: (inout [Int]) -> R) -> R {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return body(&items)
    }
}
let usePthread = ProcessInfo.processInfo.environment["MUTEX"] == "pthread"
let mutex = Mutex<[Int]>([])
let pthreadBox = PthreadBox()
func append(_ v: Int) { usePthread ? pthreadBox.withLock { $0.append(v) } : mutex.withLock { $0.append(v) } }
func count() -> Int { usePthread ? pthreadBox.withLock { $0.count } : mutex.withLock { $0.count } }
let perThread = 20_000
for t in 0..<4 {
    Thread { for i in 0..<perThread { append(t * perThread + i) } }.start()
}
while count() < 4 * perThread { sched_yield() }
print(usePthread ? "pthread" : "Mutex", "count", count())
