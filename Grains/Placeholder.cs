namespace Pipeline.Grains; internal static class Placeholder {}
