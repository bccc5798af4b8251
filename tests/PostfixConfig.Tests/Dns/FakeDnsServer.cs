using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PostfixConfig.Tests.Dns;

/// <summary>One answer of <see cref="FakeDnsServer"/>: the response code, the AD bit and the answer records.</summary>
internal sealed record FakeAnswer(int Rcode, bool Ad, params (ushort Type, byte[] Data)[] Records)
{
    public static FakeAnswer Secure(params (ushort Type, byte[] Data)[] records) => new(0, true, records);

    public static FakeAnswer Insecure(params (ushort Type, byte[] Data)[] records) => new(0, false, records);

    public static readonly FakeAnswer ServFail = new(2, false);

    public static readonly FakeAnswer NxDomain = new(3, false);

    /// <summary>No answer at all (the query is dropped).</summary>
    public static readonly FakeAnswer Silence = new(-1, false);

    public static (ushort, byte[]) A(string address) => (1, IPAddress.Parse(address).GetAddressBytes());

    public static (ushort, byte[]) Mx(ushort preference, string target) => (15, [(byte)(preference >> 8), (byte)preference, .. Name(target)]);

    public static (ushort, byte[]) Tlsa(byte usage, byte selector, byte matching, string hex) => (52, [usage, selector, matching, .. Convert.FromHexString(hex)]);

    public static (ushort, byte[]) Ns(string target) => (2, Name(target));

    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }
}

/// <summary>
/// A tiny DNS server on 127.0.0.1 (a free UDP port) for fast tests: each query (name, type, CD bit)
/// is answered by the handler; it records the queries it saw (with their DO and CD bits).
/// </summary>
internal sealed class FakeDnsServer : IDisposable
{
    private readonly UdpClient _udp;
    private readonly Func<string, ushort, bool, FakeAnswer> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeDnsServer(Func<string, ushort, bool, FakeAnswer> handler)
    {
        _handler = handler;
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(LoopAsync);
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Each query seen: name, type, DO bit, CD bit.</summary>
    public List<(string Name, ushort Type, bool Do, bool Cd)> Queries { get; } = [];

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            var q = received.Buffer;
            var pos = 12;
            var name = new StringBuilder();
            while (q[pos] != 0)
            {
                if (name.Length > 0)
                {
                    name.Append('.');
                }

                name.Append(Encoding.ASCII.GetString(q, pos + 1, q[pos]));
                pos += q[pos] + 1;
            }

            pos++;
            var type = BinaryPrimitives.ReadUInt16BigEndian(q.AsSpan(pos));
            var questionEnd = pos + 4;
            var cd = (q[3] & 0x10) != 0;
            var dnssecOk = q.Length > questionEnd + 7 && (q[questionEnd + 7] & 0x80) != 0;
            var text = name.Length == 0 ? "." : name.ToString().ToLowerInvariant();
            lock (Queries)
            {
                Queries.Add((text, type, dnssecOk, cd));
            }

            var answer = _handler(text, type, cd);
            if (answer.Rcode < 0)
            {
                continue;
            }

            var reply = new List<byte>();
            reply.AddRange(q.AsSpan(0, 2).ToArray());
            reply.Add((byte)(0x80 | (q[2] & 0x01))); // QR, RD echoed
            reply.Add((byte)(0x80 | (answer.Ad ? 0x20 : 0) | (cd ? 0x10 : 0) | answer.Rcode)); // RA, AD, CD, rcode
            reply.AddRange([0, 1, (byte)(answer.Records.Length >> 8), (byte)answer.Records.Length, 0, 0, 0, 0]);
            reply.AddRange(q.AsSpan(12, questionEnd - 12).ToArray());
            foreach (var (rtype, data) in answer.Records)
            {
                reply.AddRange([0xc0, 12, (byte)(rtype >> 8), (byte)rtype, 0, 1, 0, 0, 1, 0x2c, (byte)(data.Length >> 8), (byte)data.Length]);
                reply.AddRange(data);
            }

            await _udp.SendAsync(reply.ToArray(), received.RemoteEndPoint);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        try
        {
            _loop.Wait(5000);
        }
        catch (AggregateException)
        {
            // the loop ended with the socket
        }

        _stop.Dispose();
    }
}
