namespace MarketPulse.Ml.Training;

/// <summary>Bad input to a training or evaluation pipeline (a missing data folder, an impossible choice); the message names the option.</summary>
public sealed class TrainingInputException(string message) : Exception(message);
