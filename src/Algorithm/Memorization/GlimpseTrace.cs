namespace Mbi.Algorithm.Memorization;

/// <summary>
/// What one glimpse's lookup saw, as the learned gate reads it (<see cref="LearnedGate"/>): the nearest key's distance
/// (<see cref="Distance"/>, the value <see cref="LookupOutcome.MaxDistance"/> takes the maximum of), the last voter's,
/// the vote's hidden-state agreement and class share (<see cref="MbiClassifier.Combine"/>), the class the glimpse hands on,
/// the nearest row's own class, and how many voters carry the class handed on.
/// </summary>
/// <param name="Distance">The nearest (best-match) key's distance.</param>
/// <param name="KthDistance">The farthest voter's distance (the k-th nearest the search kept; with one voter, <see cref="Distance"/>).</param>
/// <param name="HiddenAgreement">The mean over hidden bits of |sum_j ±w_j| / sum_j w_j, in [0, 1]; 1 with one voter.</param>
/// <param name="ClassAgreement">The winning class's share of the vote weight, in (0, 1]; 1 with one voter.</param>
/// <param name="Class">The class this glimpse hands on (the voted class; the last glimpse's is the lookups' class).</param>
/// <param name="NearestClass">The nearest row's class (with one voter, <see cref="Class"/>).</param>
/// <param name="Winners">How many voters (unweighted) carry <see cref="Class"/>; 1 with one voter.</param>
public readonly record struct GlimpseTrace(double Distance, double KthDistance, double HiddenAgreement, double ClassAgreement,
    int Class, int NearestClass, int Winners);
