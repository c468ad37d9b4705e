namespace Pipeline.Grains.Abstractions; internal static class Placeholder {}
