"""What CIFAR-10 is, written down once: file names, class names, sizes.

Both the loaders the notebooks call (`cs231n.data_utils`) and the fetch-and-verify layer (`cs231n.datasets`) read
these names from here, and the plotting helpers take the class names from here without loading either of them.
"""

# Class names in label order: label 0 is "plane", label 9 is "truck". (The dataset's own batches.meta spells the
# first two "airplane" and "automobile"; the short forms fit under a thumbnail.)
CLASSES = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
NUM_CLASSES = len(CLASSES)

# The python version of the dataset: one folder holding six pickled batches of 10000 images each.
DIRNAME = "cifar-10-batches-py"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
BATCH_NAMES = (*TRAIN_BATCHES, TEST_BATCH)
IMAGES_PER_BATCH = 10000
NUM_TRAIN = len(TRAIN_BATCHES) * IMAGES_PER_BATCH  # 50000
NUM_TEST = IMAGES_PER_BATCH  # 10000

# One image: 32 x 32 pixels, 3 colour channels. A batch stores it as one row of 3072 bytes: the red plane, then
# the green plane, then the blue plane, each 32 x 32 in row-major order.
IMAGE_SHAPE = (32, 32, 3)
PIXELS = 32 * 32 * 3
