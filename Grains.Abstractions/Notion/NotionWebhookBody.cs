using System.Globalization;
using System.Text.Json;

namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>
/// Reads the body of a request to the Notion webhook: the handshake <c>{"verification_token": "…"}</c>
/// or an event envelope (<c>id</c>, <c>type</c>, <c>timestamp</c>, <c>entity</c>, <c>authors</c>,
/// <c>data</c>, …). Fields Pipeline does not use are ignored, so newer envelopes still read.
/// </summary>
public static class NotionWebhookBody
{
    private const string HandshakeField = "verification_token";

    /// <summary>Reads a webhook body.</summary>
    /// <param name="body">The raw request body (UTF-8 JSON).</param>
    /// <returns>The event, the handshake's token, or what is wrong with the body.</returns>
    public static NotionWebhookReadResult Read(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 32 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            return Invalid($"not valid JSON: {e.Message}");
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static NotionWebhookReadResult Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid("a webhook body is a JSON object");
        }

        // The handshake is the token alone; an envelope that also carries one is read as an event.
        if (root.TryGetProperty(HandshakeField, out var token)
            && !root.TryGetProperty("type", out _) && !root.TryGetProperty("id", out _) && !root.TryGetProperty("entity", out _))
        {
            return token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } text
                ? new NotionWebhookReadResult(null, text, null)
                : Invalid($"{HandshakeField} must be a non-empty string");
        }

        var errors = new List<string>();
        var id = RequiredText(root, "id", errors);
        var type = RequiredText(root, "type", errors);
        var timestamp = Timestamp(root, errors);
        var entity = Entity(root, errors);
        if (errors.Count > 0)
        {
            return Invalid(string.Join("; ", errors));
        }

        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        return new NotionWebhookReadResult(
            new NotionWebhookEvent(
                id!,
                type!,
                timestamp,
                entity!,
                Authors(root),
                root.TryGetProperty("attempt_number", out var attempt) && attempt.TryGetInt32(out var n) ? n : 1,
                OptionalText(root, "workspace_id"),
                OptionalText(root, "subscription_id"),
                OptionalText(root, "integration_id"),
                OptionalText(root, "api_version"),
                Parent(data),
                UpdatedProperties(data)),
            null,
            null);
    }

    private static NotionWebhookReadResult Invalid(string error) => new(null, null, error);

    private static string? RequiredText(JsonElement parent, string name, List<string> errors, string? path = null)
    {
        if (OptionalText(parent, name) is { Length: > 0 } text)
        {
            return text;
        }

        errors.Add($"{path ?? name} must be a non-empty string");
        return null;
    }

    private static string? OptionalText(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static DateTime Timestamp(JsonElement root, List<string> errors)
    {
        if (OptionalText(root, "timestamp") is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.UtcDateTime;
        }

        errors.Add("timestamp must be an ISO 8601 time");
        return default;
    }

    private static NotionWebhookEntity? Entity(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty("entity", out var entity) || entity.ValueKind != JsonValueKind.Object)
        {
            errors.Add("entity must be an object with id and type");
            return null;
        }

        var id = RequiredText(entity, "id", errors, "entity.id");
        var type = RequiredText(entity, "type", errors, "entity.type");
        return id is null || type is null ? null : new NotionWebhookEntity(id, type);
    }

    private static List<NotionWebhookAuthor> Authors(JsonElement root) =>
        root.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array
            ? [.. authors.EnumerateArray()
                .Where(a => OptionalText(a, "id") is { Length: > 0 })
                .Select(a => new NotionWebhookAuthor(OptionalText(a, "id")!, OptionalText(a, "type") ?? ""))]
            : [];

    private static NotionWebhookParent? Parent(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("parent", out var parent)
        && OptionalText(parent, "id") is { Length: > 0 } id
            ? new NotionWebhookParent(id, OptionalText(parent, "type") ?? "", OptionalText(parent, "data_source_id"))
            : null;

    private static List<string> UpdatedProperties(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("updated_properties", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? [.. ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)]
            : [];
}
