using System.Text;

namespace Pipeline.Grains.Publishing;

/// <summary>YouTube's limits on a video's metadata: what is sent always fits them.</summary>
public static class VideoMetadata
{
    /// <summary>At most 100 characters, and no angle brackets (YouTube refuses them).</summary>
    public static string Title(string title)
    {
        var clean = title.Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal).Trim();
        if (clean.Length <= 100)
        {
            return clean;
        }

        // Never half of a surrogate pair (an emoji).
        return clean[..(char.IsHighSurrogate(clean[99]) ? 99 : 100)].TrimEnd();
    }

    /// <summary>At most 5,000 bytes of UTF-8, cut on a character boundary, no angle brackets.</summary>
    public static string Description(string description)
    {
        var clean = description.Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal);
        var end = 0;
        for (var bytes = 0; end < clean.Length;)
        {
            var width = char.IsHighSurrogate(clean[end]) && end + 1 < clean.Length ? 2 : 1;
            bytes += Encoding.UTF8.GetByteCount(clean.AsSpan(end, width));
            if (bytes > 5_000)
            {
                break;
            }

            end += width;
        }

        return clean[..end];
    }

    /// <summary>Tags while their total stays within 500 characters (YouTube counts a tag with a space as quoted).</summary>
    public static IReadOnlyList<string> Tags(IReadOnlyList<string> tags)
    {
        var kept = new List<string>();
        var total = 0;
        foreach (var tag in tags.Select(t => t.Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal).Trim()).Where(t => t.Length > 0))
        {
            var cost = tag.Length + (tag.Contains(' ') ? 2 : 0) + (kept.Count > 0 ? 1 : 0);
            if (total + cost > 500)
            {
                break;
            }

            kept.Add(tag);
            total += cost;
        }

        return kept;
    }
}
