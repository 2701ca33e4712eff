using System.Security.Cryptography;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Mnist;

/// <summary>
/// Fetches the four MNIST files from the usual public mirrors and checks each against its published
/// SHA-256 before it is kept (written atomically, so a failed download never leaves a half file).
/// </summary>
internal static class MnistDownloader
{
    public static readonly IReadOnlyList<string> Mirrors =
    [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ];

    /// <summary>SHA-256 of the original files (the same four files every mirror serves).</summary>
    public static readonly IReadOnlyDictionary<string, string> Sha256 = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte.gz"] = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        ["train-labels-idx1-ubyte.gz"] = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        ["t10k-images-idx3-ubyte.gz"] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        ["t10k-labels-idx1-ubyte.gz"] = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    };

    /// <summary>Downloads every missing or wrong file into <paramref name="folder"/>; returns the files fetched.</summary>
    public static IReadOnlyList<string> Download(string folder, IProgress<ProgressUpdate>? progress, TimeSpan timeout)
    {
        Directory.CreateDirectory(folder);
        var fetched = new List<string>();
        using var http = new HttpClient { Timeout = timeout };
        int done = 0;
        foreach (var (name, expected) in Sha256)
        {
            string path = Path.Combine(folder, name);
            progress?.Report(new ProgressUpdate("download", done, Sha256.Count, name));
            if (File.Exists(path) && HashOf(File.ReadAllBytes(path)) == expected) { done++; continue; }
            var failures = new List<string>();
            byte[]? good = null;
            foreach (string mirror in Mirrors)
            {
                try
                {
                    byte[] bytes = http.GetByteArrayAsync(mirror + name).GetAwaiter().GetResult();
                    string actual = HashOf(bytes);
                    if (actual == expected) { good = bytes; break; }
                    failures.Add($"{mirror}: SHA-256 {actual[..12]}... does not match {expected[..12]}...");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    failures.Add($"{mirror}: {e.Message}");
                }
            }
            if (good is null)
                throw new MbiException($"could not download {name} from any mirror ({string.Join("; ", failures)}). " +
                    $"Without internet, copy the four MNIST .gz files into {folder}/ by hand (or point --mnist / MBI_MNIST at them) and check them with `mbi data verify`.");
            AtomicFile.WriteAllBytes(path, good);
            fetched.Add(name);
            done++;
        }
        progress?.Report(new ProgressUpdate("download", done, Sha256.Count, "done"));
        return fetched;
    }

    /// <summary>Checks each of the four files against its SHA-256; returns (file, status) rows.</summary>
    public static IReadOnlyList<(string File, string Status, bool Ok)> Verify(string folder)
    {
        var rows = new List<(string, string, bool)>();
        foreach (var (name, expected) in Sha256)
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) { rows.Add((name, "missing", false)); continue; }
            string actual = HashOf(File.ReadAllBytes(path));
            rows.Add(actual == expected ? (name, "ok", true) : (name, $"SHA-256 {actual} differs from {expected}", false));
        }
        return rows;
    }

    private static string HashOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
