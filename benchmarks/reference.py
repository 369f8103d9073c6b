"""The seed's from-scratch notebook, transcribed as it is usually written: float64, X as (784, m),
a one-hot Y built with np.eye. The yardstick the engine's speed is measured against; not used by nnviz."""

import numpy as np


def init_params(hidden, rng):
    W1 = rng.random((hidden, 784)) - 0.5
    b1 = rng.random((hidden, 1)) - 0.5
    W2 = rng.random((10, hidden)) - 0.5
    b2 = rng.random((10, 1)) - 0.5
    return W1, b1, W2, b2


def ReLU(Z):
    return np.maximum(Z, 0)


def softmax(Z):
    A = np.exp(Z - Z.max(axis=0)) / sum(np.exp(Z - Z.max(axis=0)))
    return A


def forward_prop(W1, b1, W2, b2, X):
    Z1 = W1.dot(X) + b1
    A1 = ReLU(Z1)
    Z2 = W2.dot(A1) + b2
    A2 = softmax(Z2)
    return Z1, A1, Z2, A2


def ReLU_deriv(Z):
    return Z > 0


def one_hot(Y):
    one_hot_Y = np.zeros((Y.size, Y.max() + 1))
    one_hot_Y[np.arange(Y.size), Y] = 1
    return one_hot_Y.T


def backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y):
    m = Y.size
    one_hot_Y = one_hot(Y)
    dZ2 = A2 - one_hot_Y
    dW2 = 1 / m * dZ2.dot(A1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = W2.T.dot(dZ2) * ReLU_deriv(Z1)
    dW1 = 1 / m * dZ1.dot(X.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
    return dW1, db1, dW2, db2


def update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha):
    return W1 - alpha * dW1, b1 - alpha * db1, W2 - alpha * dW2, b2 - alpha * db2


def get_accuracy(A2, Y):
    return np.sum(np.argmax(A2, 0) == Y) / Y.size


def get_loss(A2, Y):
    return -np.mean(np.log(A2[Y, np.arange(Y.size)] + 1e-12))


def iteration(params, X, Y, alpha):
    """One gradient step with the loss and accuracy a notebook prints: what the engine must beat."""
    W1, b1, W2, b2 = params
    Z1, A1, Z2, A2 = forward_prop(W1, b1, W2, b2, X)
    dW1, db1, dW2, db2 = backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)
    loss, accuracy = get_loss(A2, Y), get_accuracy(A2, Y)
    return update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha), loss, accuracy
