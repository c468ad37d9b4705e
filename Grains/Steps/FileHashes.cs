using System.Security.Cryptography;

namespace Pipeline.Grains.Steps;

/// <summary>SHA-256 of files, streamed (clips are tens of megabytes).</summary>
public static class FileHashes
{
    /// <summary>The file's SHA-256 as lowercase hex.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The hash.</returns>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
