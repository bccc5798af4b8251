// Postfix, /proc and Unix file modes: these tests are for Linux only (elsewhere they skip).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
