// Postfix, /proc and Unix file modes: these tests are for Linux only (elsewhere they skip).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Every test here starts Postfix, OpenSSL or a DNS lab: the fast run (--filter "Category!=Slow") leaves them out.
[assembly: Xunit.AssemblyTrait("Category", "Slow")]
