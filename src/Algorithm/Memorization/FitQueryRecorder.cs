using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// Records the fit queries of the tree's query fill (<see cref="KMeansTreeOptions.QueryFill"/>): each image, moved
/// (<see cref="FitMove"/>: by default one pixel in each of four directions, +x, -x, +y, -y, zeros shifted in), runs the lookup chain as inference does (vote 1,
/// exact search), and every query is kept with every table row at its exact minimum distance. Moved images make novel
/// queries (the unmoved images' keys are in the table, or were before the table was sampled). Give it training images only, never the ones a choice or a score is
/// made on. Deterministic: the order is move by move, image by image, whatever the number of workers.
/// </summary>
public static class FitQueryRecorder
{
    /// <summary>The first <paramref name="directions"/> shifts of <see cref="FitMoves.Directions"/> (4, 8 or 12).</summary>
    public static FitQueries Record(LookupTable lut, MnistImages images, string provenance, IProgress<ProgressUpdate>? progress = null, int directions = 4) =>
        Record(lut, images, provenance, FitMoves.Directions(directions), progress);

    /// <summary>
    /// Runs the chain on every image of <paramref name="images"/> under each of <paramref name="moves"/> and returns the
    /// queries, move by move, image by image. Recordings of two lists one after another (<see cref="FitQueries.Concat(IReadOnlyList{FitQueries})"/>)
    /// are the recording of the joined list, so a longer recording can be built in parts.
    /// </summary>
    public static FitQueries Record(LookupTable lut, MnistImages images, string provenance, IReadOnlyList<FitMove> moves, IProgress<ProgressUpdate>? progress = null)
    {
        if (moves.Count == 0) throw Mbi.Core.Errors.BadInputException.For("moves", "none", "at least one move", "axes");
        var keys = lut.PackKeys();
        var kernel = new DistanceKernel(lut.Layout, lut.Weights);
        int n = images.Count, side = images.Side, total = n * moves.Count;
        var perImage = new FitQueries[total];
        string fingerprint = FitQueries.Fingerprint(lut.Layout, lut.Weights, lut.KeyElements, lut.Rows);
        long done = 0;
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount) },
            () => new Worker(lut, keys, kernel, side, fingerprint),
            (job, _, worker) =>
            {
                moves[job / n].Apply(images.Image(job % n), worker.Shifted, side);
                perImage[job] = worker.Run();
                long d = Interlocked.Increment(ref done);
                if (d % 500 == 0 || d == total) progress?.Report(new ProgressUpdate("fit queries", d, total));
                return worker;
            },
            _ => { });

        return total == 0 ? new FitQueries(fingerprint, lut.Layout.WordsPerKey, [], [0], [], provenance) : FitQueries.Concat(perImage, provenance);
    }

    private sealed class Worker
    {
        private readonly MbiClassifier _classifier;
        private readonly RecordingExactSearch _search;

        public Worker(LookupTable lut, KeyTable keys, DistanceKernel kernel, int side, string fingerprint)
        {
            _search = new RecordingExactSearch(keys, kernel, fingerprint);
            _classifier = new MbiClassifier(lut, new QuantizedGlimpseSensor(lut.Spec), _search);
            Shifted = new float[side * side];
        }

        public float[] Shifted { get; }

        public FitQueries Run()
        {
            _search.Reset();
            _classifier.Classify(Shifted);
            return _search.Take();
        }
    }

    /// <summary>Exact search that also keeps each query and every row at its minimum distance (first minimum returned).</summary>
    private sealed class RecordingExactSearch(KeyTable keys, DistanceKernel kernel, string fingerprint) : INearestKeySearch
    {
        private readonly double[] _distances = new double[keys.Rows];
        private readonly List<ulong> _queries = [];
        private readonly List<int> _start = [];
        private readonly List<int> _nearest = [];

        public DistanceKernel Kernel => kernel;
        public int Rows => keys.Rows;

        public void Reset()
        {
            _queries.Clear();
            _start.Clear();
            _nearest.Clear();
        }

        /// <summary>This image's queries (its provenance is the recording's, set when the images are joined).</summary>
        public FitQueries Take() => new(fingerprint, kernel.Layout.WordsPerKey, [.. _queries], [.. _start, _nearest.Count], [.. _nearest], "");

        public SearchResult Nearest(ReadOnlySpan<ulong> query)
        {
            kernel.Distances(keys, query, 0, keys.Rows, _distances);
            int best = 0;
            for (int r = 1; r < _distances.Length; r++) if (_distances[r] < _distances[best]) best = r;
            double min = _distances[best];
            foreach (ulong w in query[..kernel.Layout.WordsPerKey]) _queries.Add(w);
            _start.Add(_nearest.Count);
            for (int r = best; r < _distances.Length; r++) if (_distances[r] == min) _nearest.Add(r);
            return new SearchResult(best, min, 1, keys.Rows);
        }
    }
}
