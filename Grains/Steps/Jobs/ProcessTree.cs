using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Starting a script in a process group of its own and killing all of it. A script's children
/// (ffmpeg, a polling loop) must die with it on a timeout, including ones that outlived a dead
/// parent or double-forked: <see cref="Process.Kill(bool)"/> finds descendants only through
/// their parents, so on Linux the script is started under <c>setsid</c> and its group is
/// killed as well.
/// </summary>
internal static class ProcessTree
{
    private const int Sigkill = 9;

    /// <summary>
    /// util-linux (or BusyBox) <c>setsid</c>, if this is Linux and it is installed. A child of .NET is
    /// never a process group leader, so setsid execs the script in place: the script's pid is the
    /// new group's id.
    /// </summary>
    public static string? Setsid { get; } = OperatingSystem.IsLinux()
        ? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists)
        : null;

    /// <summary>
    /// Kills the process and its descendants (stopping each before looking for its children), then
    /// everything left in its group. Returns what went wrong, if anything, for the log.
    /// </summary>
    public static string? Kill(Process process, int processGroup)
    {
        string? problem = null;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or AggregateException or NotSupportedException)
        {
            problem = e.Message;
        }

        KillGroup(processGroup);
        return problem;
    }

    /// <summary>
    /// SIGKILL to every process in the group; true if there was any. Signalling a group id is safe
    /// even after the script exited: Linux does not hand out a pid that is still some group's id,
    /// and before setsid has run no group has the script's pid as its id.
    /// </summary>
    public static bool KillGroup(int processGroup) =>
        processGroup > 1 && Setsid is not null && SendSignal(-processGroup, Sigkill) == 0;

    // DllImport, not LibraryImport: the latter needs AllowUnsafeBlocks in Grains.csproj, and two ints
    // need no marshalling code anyway.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);
}
