// Postfix, /proc and Unix file modes: these tests are for Linux only (elsewhere they skip).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Every test starts Postfix programs of one release after another; the machine may be small and shared.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Every class that starts Postfix, OpenSSL or a DNS lab carries [Trait("Category", "Slow")] (and "Releases"):
// the fast run (--filter "Category!=Slow") leaves them out and runs only the harness's own unit tests (Harness/).
