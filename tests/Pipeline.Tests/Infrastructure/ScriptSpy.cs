namespace Pipeline.Tests.Infrastructure;

/// <summary>
/// A scripts folder whose every step script is a wrapper around the real one in scripts/: it logs
/// each run (so tests count them) and can hold the runs whose arguments contain a given text until
/// released, so a test can kill a silo or cancel a task while a job is in flight. A held run
/// whose silo died gives up instead of running on as an orphan.
/// </summary>
public sealed class ScriptSpy : IDisposable
{
    private static readonly string[] Scripts =
        ["generate_plan", "generate_asset", "create_composite", "generate_video", "generate_audio", "generate_sound_effects", "assemble_video"];

    public ScriptSpy()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("pipeline-scripts-").FullName;
        var real = Path.Combine(Repo.Root, "scripts");
        foreach (var script in Scripts)
        {
            var path = Path.Combine(Directory, script);
            File.WriteAllText(path, $$"""
                #!/usr/bin/env bash
                dir="{{Directory}}"
                parent=$PPID
                run="{{script}} $*"
                held() { [[ -f "$dir/hold" && "$run" == *"$(cat "$dir/hold" 2>/dev/null)"* ]]; }
                if held; then
                    echo "$run" >>"$dir/held.log"
                    while held; do
                        kill -0 "$parent" 2>/dev/null || exit 1
                        sleep 0.1
                    done
                fi
                echo "$run" >>"$dir/runs.log"
                exec "{{real}}/{{script}}" "$@"

                """);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The folder to give the silo as PIPELINE_SCRIPTS.</summary>
    public string Directory { get; }

    /// <summary>
    /// From now on, runs whose script name and arguments ("generate_asset --output assets/a.png …") contain
    /// <paramref name="text"/> wait until <see cref="Release"/>, or until another hold no longer matches them:
    /// a hold moved from one script to the next lets the first go and catches the next, with no gap between.
    /// </summary>
    public void Hold(string text)
    {
        var path = Path.Combine(Directory, "hold");
        File.WriteAllText(path + ".new", text);
        File.Move(path + ".new", path, overwrite: true);
    }

    public void Release() => File.Delete(Path.Combine(Directory, "hold"));

    /// <summary>How many runs started that make <paramref name="output"/> (e.g. "videos/scene-02.mp4").</summary>
    public int RunsMaking(string output) => Lines("runs.log").Count(l => l.Contains($"--output {output}", StringComparison.Ordinal));

    /// <summary>How many runs of <paramref name="script"/> started.</summary>
    public int RunsOf(string script) => Lines("runs.log").Count(l => l.StartsWith(script + " ", StringComparison.Ordinal));

    /// <summary>Whether a run with <paramref name="text"/> in its arguments is being held now or was.</summary>
    public bool WasHeld(string text) => Lines("held.log").Any(l => l.Contains(text, StringComparison.Ordinal));

    private string[] Lines(string log)
    {
        var path = Path.Combine(Directory, log);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    public void Dispose()
    {
        Release();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
