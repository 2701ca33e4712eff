using Mbi.Core.Errors;

namespace Mbi.Algorithm.Mnist;

/// <summary>
/// The MNIST training and test sets. Located by --mnist DIR, then $MBI_MNIST, then data/mnist; the
/// test set is only for reporting, a validation split is carved from the training set.
/// </summary>
public sealed class MnistDataset
{
    /// <summary>Images in the MNIST training set.</summary>
    public const int TrainCount = 60_000;
    /// <summary>Images in the MNIST test set.</summary>
    public const int TestCount = 10_000;
    /// <summary>Side of an MNIST image in pixels.</summary>
    public const int Side = 28;
    /// <summary>The environment variable that names the MNIST folder.</summary>
    public const string EnvironmentVariable = "MBI_MNIST";
    /// <summary>The folder used when neither an option nor the environment names one.</summary>
    public const string DefaultFolder = "data/mnist";

    /// <summary>The four gzipped IDX files the folder must hold.</summary>
    public static readonly IReadOnlyList<string> FileNames =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    private MnistDataset(string folder, MnistImages train, MnistImages test) =>
        (Folder, Train, Test) = (folder, train, test);

    /// <summary>The folder the files were read from.</summary>
    public string Folder { get; }
    /// <summary>The 60000 training images.</summary>
    public MnistImages Train { get; }
    /// <summary>The 10000 test images.</summary>
    public MnistImages Test { get; }

    /// <summary>The folder MNIST is read from: the explicit option, then $MBI_MNIST, then data/mnist.</summary>
    public static string Locate(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            if (!Directory.Exists(option))
                throw new BadInputException($"--mnist was '{option}'; it must be a folder holding the four MNIST .gz files (e.g. data/mnist). Run `mbi data download --mnist {option}` to fetch them.");
            return option;
        }
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (!Directory.Exists(fromEnvironment))
                throw new BadInputException($"${EnvironmentVariable} was '{fromEnvironment}'; it must be a folder holding the four MNIST .gz files. Unset it or fix the path.");
            return fromEnvironment;
        }
        if (Directory.Exists(DefaultFolder)) return DefaultFolder;
        throw new BadInputException($"MNIST not found: no --mnist, no ${EnvironmentVariable}, no {DefaultFolder}/. Run `mbi data download` or pass --mnist DIR.");
    }

    /// <summary>Reads MNIST from <see cref="Locate"/>(<paramref name="option"/>).</summary>
    public static MnistDataset Load(string? option) => LoadFolder(Locate(option));

    /// <summary>Reads the four files from <paramref name="folder"/>.</summary>
    public static MnistDataset LoadFolder(string folder)
    {
        var train = ReadPair(folder, FileNames[0], FileNames[1], TrainCount);
        var test = ReadPair(folder, FileNames[2], FileNames[3], TestCount);
        return new MnistDataset(folder, train, test);
    }

    /// <summary>Reads the test set only (evaluation needs nothing else).</summary>
    public static MnistImages LoadTest(string? option)
    {
        string folder = Locate(option);
        return ReadPair(folder, FileNames[2], FileNames[3], TestCount);
    }

    private static MnistImages ReadPair(string folder, string imagesName, string labelsName, int count)
    {
        string imagesPath = Path.Combine(folder, imagesName);
        string labelsPath = Path.Combine(folder, labelsName);
        byte[] pixels = IdxReader.ReadImages(imagesPath, count, out int rows, out int columns);
        if (rows != Side || columns != Side)
            throw new FileFormatException(imagesPath, $"images are {rows}x{columns}, MNIST's are {Side}x{Side}", "Use the original MNIST files.");
        byte[] labels = IdxReader.ReadLabels(labelsPath, count);
        return MnistImages.FromBytes(pixels, labels, Side);
    }
}
