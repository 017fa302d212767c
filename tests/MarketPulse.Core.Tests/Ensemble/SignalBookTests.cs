using MarketPulse.Core.Ensemble;

namespace MarketPulse.Core.Tests.Ensemble;

public class SignalBookTests
{
    private static readonly string[] Experts = ["price", "sentiment", "persistence"];
    private static readonly DateOnly Mon = new(2015, 8, 3), Tue = new(2015, 8, 4), Wed = new(2015, 8, 5);
    private static readonly StackingModel Prior = new(0, [0, 0, 0], null, 0);

    private static SignalBook Book() => new("AAPL", Experts, "ensemble_hedge", "ensemble");

    [Fact]
    public void A_close_scores_the_calls_issued_for_it_against_the_move_from_the_basis_close()
    {
        var book = Book();
        Assert.Null(book.Close(Mon, 100, null));
        var issued = book.Issue(Mon, [0.7, double.NaN, 0.45], Prior);
        Assert.Equal(["price", "persistence", "ensemble_hedge", "ensemble"], book.Pending.Select(c => c.Signal));

        var day = book.Close(Tue, 102, 100)!;
        Assert.Equal(0.02, day.RealizedReturn, 12);
        Assert.Equal("up", day.Direction);
        var price = day.Calls.Single(c => c.Signal == "price");
        Assert.True(price.Hit);
        Assert.Equal(0.09, price.Loss!.Value, 12);
        Assert.False(day.Calls.Single(c => c.Signal == "persistence").Hit);
        // The stacker's outcome: what each expert said (NaN: abstained) and what happened.
        Assert.Equal([0.7, double.NaN, 0.45], day.Outcome!.Probabilities);
        Assert.True(day.Outcome.WentUp);
        Assert.Empty(book.Pending);
        Assert.Equal(1, book.Scorecards["ensemble"].Count);
        Assert.Equal((1 - issued.Ensemble) * (1 - issued.Ensemble), book.Scorecards["ensemble"].BrierSum, 12);
    }

    [Fact]
    public void The_hedge_weights_move_towards_the_expert_that_was_right()
    {
        var book = Book();
        book.Close(Mon, 100, null);
        book.Issue(Mon, [0.9, 0.1, double.NaN], Prior);
        book.Close(Tue, 105, 100);
        Assert.True(book.Hedge.Weights[0] > book.Hedge.Weights[1]);
        // An abstaining expert's weight is not punished: it keeps its share against the average of the others.
        Assert.True(book.Hedge.Weights[2] < book.Hedge.Weights[0] && book.Hedge.Weights[2] > book.Hedge.Weights[1]);
    }

    [Fact]
    public void A_flat_day_scores_nothing_and_teaches_nothing()
    {
        var book = Book();
        book.Close(Mon, 100, null);
        book.Issue(Mon, [0.9, 0.1, 0.55], Prior);
        var day = book.Close(Tue, 100, 100)!;
        Assert.Equal("flat", day.Direction);
        Assert.Null(day.Outcome);
        Assert.All(day.Calls, c => Assert.Null(c.Hit));
        Assert.Empty(book.Scorecards);
        Assert.All(book.Hedge.Weights, w => Assert.Equal(1.0 / 3, w, 12));
    }

    [Fact]
    public void Persistence_says_yesterdays_direction_and_abstains_after_an_unchanged_day()
    {
        var book = Book();
        book.Close(Mon, 100, null);
        Assert.True(double.IsNaN(book.Persistence));
        book.Close(Tue, 103, 100);
        Assert.Equal(0.55, book.Persistence, 12);
        book.Close(Wed, 101, 103);
        Assert.Equal(0.45, book.Persistence, 12);
    }

    [Fact]
    public void Each_basis_day_is_issued_once_and_only_on_the_last_close_and_old_closes_are_refused()
    {
        var book = Book();
        book.Close(Tue, 100, null);
        Assert.False(book.CanIssue(Mon));
        Assert.True(book.CanIssue(Tue));
        book.Issue(Tue, [0.6, 0.5, double.NaN], Prior);
        Assert.False(book.CanIssue(Tue));
        Assert.Throws<InvalidOperationException>(() => book.Issue(Tue, [0.6, 0.5, double.NaN], Prior));
        Assert.False(book.Accepts(Mon));
        Assert.False(book.Accepts(Tue));
        Assert.True(book.Accepts(Wed));
        Assert.Throws<InvalidOperationException>(() => book.Close(Mon, 99, null));
    }

    [Fact]
    public void The_ensemble_is_the_stacking_models_probability_with_its_explanation()
    {
        var book = Book();
        book.Close(Mon, 100, null);
        var model = new StackingModel(0.1, [1.0, 0.5, 0.0], Mon, 10);
        var issued = book.Issue(Mon, [0.6, 0.4, 0.55], model);
        Assert.Equal(LogisticStacking.Predict(model, [0.6, 0.4, 0.55]), issued.Ensemble, 12);
        Assert.Equal(3, issued.EnsembleMix.Count);
        Assert.Equal(new HedgeWeights(3).Combine([0.6, 0.4, 0.55]), issued.Hedge, 12);
    }

    [Fact]
    public void Saved_and_restored_it_continues_exactly_where_it_was()
    {
        var a = Book();
        a.Close(Mon, 100, null);
        a.Issue(Mon, [0.8, 0.3, double.NaN], Prior);
        a.Close(Tue, 101, 100);
        a.Issue(Tue, [0.4, 0.6, 0.55], Prior);

        var b = new SignalBook("AAPL", Experts, "ensemble_hedge", "ensemble", a.Save());
        var dayA = a.Close(Wed, 99, 101)!;
        var dayB = b.Close(Wed, 99, 101)!;
        Assert.Equal(dayA.Calls, dayB.Calls);
        Assert.Equal(dayA.Outcome!.Probabilities, dayB.Outcome!.Probabilities);
        Assert.Equal(a.Hedge.Weights, b.Hedge.Weights);
        Assert.Equal(a.Scorecards["price"].BrierSum, b.Scorecards["price"].BrierSum, 12);
        Assert.Equal(a.Closes, b.Closes);
    }
}
