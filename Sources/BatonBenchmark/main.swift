import BatonEngine
import BatonStore
import Hummingbird
print("stub")
