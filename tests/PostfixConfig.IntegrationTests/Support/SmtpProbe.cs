using System.Net.Sockets;
using System.Text;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>A plain SMTP conversation over TCP (no TLS): greeting, EHLO, QUIT.</summary>
internal static class SmtpProbe
{
    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, says EHLO and returns the EHLO reply lines.</summary>
    public static IReadOnlyList<string> Ehlo(int port, string heloName = "probe.pfc-test.example")
    {
        using var smtp = new Conversation(port);
        var greeting = smtp.Read();
        Assert.True(greeting[^1].StartsWith("220 ", StringComparison.Ordinal), "unexpected greeting: " + string.Join(" | ", greeting));
        var reply = smtp.Say("EHLO " + heloName);
        Assert.True(reply[^1].StartsWith("250 ", StringComparison.Ordinal), "unexpected EHLO reply: " + string.Join(" | ", reply));
        smtp.Say("QUIT");
        return reply;
    }

    /// <summary>
    /// A mail transaction without STARTTLS: greeting, EHLO, MAIL FROM and RCPT TO, then RSET and QUIT
    /// (nothing is sent). Returns the last line of the MAIL FROM and RCPT TO replies (RCPT TO is
    /// skipped, null, when MAIL FROM was refused).
    /// </summary>
    public static (string MailFrom, string? RcptTo) PlainTransaction(int port)
    {
        using var smtp = new Conversation(port);
        smtp.Read();
        smtp.Say("EHLO probe.pfc-test.example");
        var mail = smtp.Say("MAIL FROM:<sender@pfc-test.example>")[^1];
        var rcpt = mail.StartsWith("250", StringComparison.Ordinal) ? smtp.Say("RCPT TO:<someone@pfc-test.example>")[^1] : null;
        smtp.Say("RSET");
        smtp.Say("QUIT");
        return (mail, rcpt);
    }

    /// <summary>A plain SMTP connection to 127.0.0.1 with one-minute time limits.</summary>
    private sealed class Conversation : IDisposable
    {
        private readonly TcpClient _client = new() { ReceiveTimeout = 60_000, SendTimeout = 60_000 };
        private readonly StreamReader _reader;
        private readonly StreamWriter _writer;

        public Conversation(int port)
        {
            _client.Connect("127.0.0.1", port);
            var stream = _client.GetStream();
            _reader = new StreamReader(stream, Encoding.ASCII);
            _writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        }

        public List<string> Read() => ReadReply(_reader);

        public List<string> Say(string command)
        {
            _writer.WriteLine(command);
            return ReadReply(_reader);
        }

        public void Dispose()
        {
            _reader.Dispose();
            _writer.Dispose();
            _client.Dispose();
        }
    }

    /// <summary>What the server says in plain text within <paramref name="wait"/> after the connection opens, or null for nothing (a TLS-at-once server waits for the client hello).</summary>
    public static string? PlainGreeting(int port, TimeSpan wait)
    {
        using var client = new TcpClient();
        client.Connect("127.0.0.1", port);
        using var stream = client.GetStream();
        stream.ReadTimeout = (int)wait.TotalMilliseconds;
        var buffer = new byte[512];
        try
        {
            var n = stream.Read(buffer, 0, buffer.Length);
            return n == 0 ? null : Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (IOException)
        {
            return null; // timed out: nothing was said
        }
    }

    /// <summary>Reads one (possibly multi-line) SMTP reply: lines "NNN-text" up to the line "NNN text".</summary>
    private static List<string> ReadReply(StreamReader reader)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = reader.ReadLine() ?? throw new IOException("the server closed the connection; lines so far: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return lines;
            }
        }
    }
}
