using System.Security.Cryptography;
using System.Text;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Workspace;

namespace Pipeline.Grains.Steps;

/// <summary>
/// What decides whether a finished job can be kept: the hash of what it was made from, and
/// whether its output on disk is still exactly what was recorded.
/// </summary>
public static class JobFingerprint
{
    /// <summary>
    /// A hash of the script, whether it calls its provider or works locally (a placeholder made
    /// without a key is made again once there is one), its arguments (a reviewer's notes excluded:
    /// they are asked for once) and the contents of its input files, so a remade image remakes the
    /// composites built on it.
    /// </summary>
    /// <exception cref="FileNotFoundException">An input file is missing.</exception>
    public static async Task<string> ComputeAsync(TaskWorkspace workspace, JobSpec job, bool real, CancellationToken cancellationToken)
    {
        var text = new StringBuilder(job.Script).Append('\0').Append(real ? "real" : "local").Append('\0');
        foreach (var argument in job.Arguments)
        {
            text.Append(argument).Append('\0');
        }

        foreach (var input in job.Inputs)
        {
            var path = workspace.Resolve(input);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{input} is missing", path);
            }

            text.Append(input).Append('=').Append(await FileHashes.Sha256Async(path, cancellationToken)).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Whether the recorded output is still on disk, byte for byte.</summary>
    public static async Task<bool> OutputMatchesAsync(TaskWorkspace workspace, JobRecord record, CancellationToken cancellationToken)
    {
        var path = workspace.Resolve(record.Output);
        var file = new FileInfo(path);
        return file.Exists && file.Length == record.SizeBytes
            && await FileHashes.Sha256Async(path, cancellationToken) == record.Sha256;
    }
}
