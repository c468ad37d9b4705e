// Test classes start silo processes; the machine has 2 cores. Most of a test's time is
// waiting (for membership, reminders, HTTP), so a few at once is fine, many is not.
[assembly: Xunit.CollectionBehavior(MaxParallelThreads = 3)]

// The tests drive Linux processes (bash, /proc, signals, setsid), as the product's scripts do.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
