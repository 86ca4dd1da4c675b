"""Census preprocessing, as in the SageMaker Processing walkthrough: read the census CSV, clean it, split it into
train and test sets, and write the transformed features and labels for a later training job.

In a processing job (or a local run) the input is mounted at /opt/ml/processing/input and the outputs are collected
from /opt/ml/processing/train and /opt/ml/processing/test.
"""
import argparse
import os
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.exceptions import DataConversionWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, StandardScaler

warnings.filterwarnings(action="ignore", category=DataConversionWarning)

COLUMNS = ["age", "education", "major industry code", "class of worker", "num persons worked for employer",
           "capital gains", "capital losses", "dividends from stocks", "income"]
CLASS_LABELS = [" - 50000.", " 50000+."]


def one_hot() -> OneHotEncoder:
    try:  # scikit-learn >= 1.2
        return OneHotEncoder(sparse_output=False, handle_unknown="ignore")
    except TypeError:  # older scikit-learn
        return OneHotEncoder(sparse=False, handle_unknown="ignore")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-test-split-ratio", type=float, default=0.3)
    parser.add_argument("--base-dir", default="/opt/ml/processing", help="root of input/, train/ and test/")
    args = parser.parse_args()
    print(f"Received arguments {vars(args)}")

    input_path = os.path.join(args.base_dir, "input", "census-income.csv")
    print(f"Reading input data from {input_path}")
    df = pd.read_csv(input_path)
    df = pd.DataFrame(data=df, columns=COLUMNS)
    df.dropna(inplace=True)
    df.drop_duplicates(inplace=True)
    df["income"] = df["income"].map({CLASS_LABELS[0]: 0, CLASS_LABELS[1]: 1})

    negative, positive = np.bincount(df["income"], minlength=2)
    print(f"Data after cleaning: {df.shape}, {positive} positive examples, {negative} negative examples")

    split_ratio = args.train_test_split_ratio
    print(f"Splitting data into train and test sets with ratio {split_ratio}")
    x_train, x_test, y_train, y_test = train_test_split(
        df.drop("income", axis=1), df["income"], test_size=split_ratio, random_state=0)

    preprocess = make_column_transformer(
        (KBinsDiscretizer(encode="onehot-dense", n_bins=10), ["age", "num persons worked for employer"]),
        (StandardScaler(), ["capital gains", "capital losses", "dividends from stocks"]),
        (one_hot(), ["education", "major industry code", "class of worker"]),
    )
    print("Running preprocessing and feature engineering transformations")
    train_features = preprocess.fit_transform(x_train)
    test_features = preprocess.transform(x_test)
    print(f"Train data shape after preprocessing: {train_features.shape}")
    print(f"Test data shape after preprocessing: {test_features.shape}")

    for split, features, labels in (("train", train_features, y_train), ("test", test_features, y_test)):
        out_dir = os.path.join(args.base_dir, split)
        os.makedirs(out_dir, exist_ok=True)
        features_path = os.path.join(out_dir, f"{split}_features.csv")
        labels_path = os.path.join(out_dir, f"{split}_labels.csv")
        print(f"Saving {split} features to {features_path}")
        pd.DataFrame(features).to_csv(features_path, header=False, index=False, float_format="%.6f")
        print(f"Saving {split} labels to {labels_path}")
        labels.to_csv(labels_path, header=False, index=False)


if __name__ == "__main__":
    main()
