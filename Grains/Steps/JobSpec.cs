namespace Pipeline.Grains.Steps;

/// <summary>
/// One job of a step: a script run that makes one output file. Paths are relative to the task's
/// workspace (the script runs there), so a job's identity does not depend on where the disk is.
/// </summary>
/// <param name="JobId">Stable id within the task, e.g. <c>videos/scene-02</c>.</param>
/// <param name="Item">The asset or scene it makes, as a reviewer names it in a rejection; null for whole-video jobs.</param>
/// <param name="Provider">Whose limit it counts against (<see cref="Providers"/>).</param>
/// <param name="Script">The script's name in scripts/.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Output">The file it makes.</param>
/// <param name="Inputs">The files it reads: a changed input makes the job run again.</param>
public sealed record JobSpec(
    string JobId,
    string? Item,
    string Provider,
    string Script,
    IReadOnlyList<string> Arguments,
    string Output,
    IReadOnlyList<string> Inputs)
{
    private static readonly string[] PromptFlags = ["--prompt", "--text"];

    /// <summary>The arguments with a reviewer's notes added to what the provider is asked for.</summary>
    /// <param name="notes">The notes of the rejection that asked for this job again.</param>
    /// <returns>The arguments to run with.</returns>
    public IReadOnlyList<string> WithNotes(string? notes)
    {
        if (string.IsNullOrWhiteSpace(notes))
        {
            return Arguments;
        }

        var arguments = Arguments.ToList();
        var flag = arguments.FindIndex(a => PromptFlags.Contains(a));
        if (flag >= 0 && flag + 1 < arguments.Count)
        {
            arguments[flag + 1] = $"{arguments[flag + 1]}\n\nReviewer's notes: {notes.Trim()}";
        }

        return arguments;
    }
}
