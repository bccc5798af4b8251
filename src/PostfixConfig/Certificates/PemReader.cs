using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PostfixConfig.Certificates;

/// <summary>
/// One PEM object (<c>-----BEGIN LABEL-----</c> ... <c>-----END LABEL-----</c>) as OpenSSL's PEM
/// reader sees it: the label, the decoded bytes, its 1-based number in the file and the line of
/// its BEGIN line. Text outside objects is ignored, as OpenSSL ignores it.
/// </summary>
internal sealed class PemObject
{
    public PemObject(string label, byte[] der, int index, int line, bool encryptedHeader, bool malformed)
    {
        Label = label;
        Der = der;
        Index = index;
        Line = line;
        HasEncryptionHeader = encryptedHeader;
        IsMalformed = malformed;
    }

    /// <summary>The label (<c>CERTIFICATE</c>, <c>PRIVATE KEY</c>, ...).</summary>
    public string Label { get; }

    /// <summary>The decoded bytes (empty when <see cref="IsMalformed"/>). Key bytes are wiped by <see cref="PemReader.Wipe"/>.</summary>
    public byte[] Der { get; }

    /// <summary>1-based number of the object in its file (what Postfix calls the PEM object number).</summary>
    public int Index { get; }

    /// <summary>1-based line of the BEGIN line.</summary>
    public int Line { get; }

    /// <summary>A traditional encrypted key: a <c>Proc-Type: 4,ENCRYPTED</c> header.</summary>
    public bool HasEncryptionHeader { get; }

    /// <summary>No END line, or the base64 does not decode.</summary>
    public bool IsMalformed { get; }

    public bool IsCertificate => Label is PemLabels.Certificate or PemLabels.X509Certificate;

    public bool IsPrivateKey => Label is PemLabels.PrivateKey or PemLabels.RsaPrivateKey or PemLabels.EcPrivateKey or PemLabels.DsaPrivateKey;

    public override string ToString() => $"PEM object {Index} ({Label}, line {Line})";
}

/// <summary>The PEM labels that matter to Postfix.</summary>
internal static class PemLabels
{
    public const string Certificate = "CERTIFICATE";
    public const string X509Certificate = "X509 CERTIFICATE";
    public const string TrustedCertificate = "TRUSTED CERTIFICATE";
    public const string PrivateKey = "PRIVATE KEY";
    public const string EncryptedPrivateKey = "ENCRYPTED PRIVATE KEY";
    public const string RsaPrivateKey = "RSA PRIVATE KEY";
    public const string EcPrivateKey = "EC PRIVATE KEY";
    public const string DsaPrivateKey = "DSA PRIVATE KEY";
    public const string EcParameters = "EC PARAMETERS";
}

/// <summary>
/// Reads PEM objects from bytes without turning the file into a string, so that key material
/// can be wiped after use (<see cref="Wipe"/>).
/// </summary>
internal static class PemReader
{
    private static readonly byte[] Begin = "-----BEGIN "u8.ToArray();
    private static readonly byte[] End = "-----END "u8.ToArray();
    private static readonly byte[] Dashes = "-----"u8.ToArray();

    public static List<PemObject> Read(ReadOnlySpan<byte> data)
    {
        var objects = new List<PemObject>();
        var lineNumber = 0;
        var position = 0;
        string? label = null;
        var beginLine = 0;
        var encrypted = false;
        var inHeaders = false;
        var body = new List<byte>();
        while (position < data.Length)
        {
            var end = data[position..].IndexOf((byte)'\n');
            var line = end < 0 ? data[position..] : data.Slice(position, end);
            position = end < 0 ? data.Length : position + end + 1;
            lineNumber++;
            line = line.TrimEnd("\r \t"u8);

            if (label is null)
            {
                if (line.StartsWith(Begin) && line.EndsWith(Dashes) && line.Length > Begin.Length + Dashes.Length)
                {
                    label = Encoding.ASCII.GetString(line[Begin.Length..^Dashes.Length]);
                    beginLine = lineNumber;
                    encrypted = false;
                    inHeaders = true;
                    body.Clear();
                }

                continue;
            }

            if (line.StartsWith(End))
            {
                var endLabel = line.EndsWith(Dashes) && line.Length >= End.Length + Dashes.Length
                    ? Encoding.ASCII.GetString(line[End.Length..^Dashes.Length])
                    : null;
                objects.Add(Decode(label, body, objects.Count + 1, beginLine, encrypted, endLabel != label));
                label = null;
                continue;
            }

            if (inHeaders)
            {
                if (line.IndexOf((byte)':') > 0)
                {
                    if (line.StartsWith("Proc-Type:"u8) && line.IndexOf("ENCRYPTED"u8) > 0)
                    {
                        encrypted = true;
                    }

                    continue;
                }

                inHeaders = false;
                if (line.IsEmpty)
                {
                    continue;
                }
            }

            foreach (var b in line)
            {
                if (b is not ((byte)' ' or (byte)'\t'))
                {
                    body.Add(b);
                }
            }
        }

        if (label is not null)
        {
            objects.Add(Decode(label, body, objects.Count + 1, beginLine, encrypted, malformed: true));
        }

        WipeList(body);
        return objects;
    }

    /// <summary>Overwrites the decoded bytes of every object (call when done with key material).</summary>
    public static void Wipe(IEnumerable<PemObject> objects)
    {
        foreach (var o in objects)
        {
            CryptographicOperations.ZeroMemory(o.Der);
        }
    }

    private static PemObject Decode(string label, List<byte> body, int index, int line, bool encrypted, bool malformed)
    {
        if (malformed)
        {
            return new PemObject(label, [], index, line, encrypted, malformed: true);
        }

        var base64 = body.ToArray();
        try
        {
            var der = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
            var status = Base64.DecodeFromUtf8(base64, der, out _, out var written);
            if (status != System.Buffers.OperationStatus.Done || written == 0)
            {
                CryptographicOperations.ZeroMemory(der);
                return new PemObject(label, [], index, line, encrypted, malformed: true);
            }

            var result = der.AsSpan(0, written).ToArray();
            CryptographicOperations.ZeroMemory(der);
            return new PemObject(label, result, index, line, encrypted, malformed: false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(base64);
            WipeList(body);
        }
    }

    private static void WipeList(List<byte> list)
    {
        for (var i = 0; i < list.Count; i++)
        {
            list[i] = 0;
        }

        list.Clear();
    }
}
