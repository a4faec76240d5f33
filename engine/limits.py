"""The bounds every network must stay within (input layer included in MAX_LAYERS)."""

MIN_LAYERS = 2
MAX_LAYERS = 8
MIN_NEURONS = 1
MAX_NEURONS = 16
MIN_SAMPLES = 1
MAX_SAMPLES = 1000
MAX_LEARNING_RATE = 100.0
MAX_INIT_SCALE = 100.0  # largest scale of the normal and uniform initialisations
SEED_BITS = 32  # seeds are whole numbers from 0 to MAX_SEED
MAX_SEED = 2**SEED_BITS - 1
MAX_ITERATIONS = 100_000
MAX_ABS_VALUE = 1e6  # largest |value| accepted for a weight, bias, input or target
MAX_HISTORY_POINTS = 1000
MAX_TEST_SPLIT = 0.5  # largest share of the samples held out as a test set
MAX_RECORDS = 50  # diagnostics records a network keeps
MAX_REGULARIZATION_RATE = 10.0  # largest λ of the l1 / l2 penalty
