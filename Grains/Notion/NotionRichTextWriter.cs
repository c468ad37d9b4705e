using System.Text.Json.Nodes;

namespace Pipeline.Grains.Notion;

/// <summary>Plain text as a Notion rich-text array, within Notion's limits for one value.</summary>
internal static class NotionRichTextWriter
{
    /// <summary>Notion refuses a text piece longer than this (UTF-16 code units, as JavaScript counts).</summary>
    public const int MaxPieceLength = 2_000;

    /// <summary>Notion refuses a rich-text array longer than this.</summary>
    public const int MaxPieces = 100;

    public static JsonArray Write(string text)
    {
        var pieces = new JsonArray();
        var at = 0;
        while (at < text.Length && pieces.Count < MaxPieces)
        {
            var length = Math.Min(MaxPieceLength, text.Length - at);
            // A piece must not end between the halves of a surrogate pair (an emoji).
            if (at + length < text.Length && char.IsHighSurrogate(text[at + length - 1]))
            {
                length--;
            }

            pieces.Add(new JsonObject
            {
                ["type"] = "text",
                ["text"] = new JsonObject { ["content"] = text.Substring(at, length) },
            });
            at += length;
        }

        return pieces;
    }
}
