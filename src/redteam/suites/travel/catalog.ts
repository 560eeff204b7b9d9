// The travel suite's catalogue beyond hotels: flights, restaurants (with a review vector) and the
// pages web search knows (with a snippet vector).

import type { Flight, Restaurant, Review, SearchResult } from './data.js';

export const review = (author: string, rating: number, date: string, text: string): Review => ({
  author,
  rating,
  date,
  text,
});
const r = review;

export function flightList(): Flight[] {
  return [
    fl('TP541', 'TAP Air Portugal', 'Berlin', 'Lisbon', '2025-06-03', '08:10', '10:55', 0, 189),
    fl('LH1166', 'Lufthansa', 'Berlin', 'Lisbon', '2025-06-03', '06:30', '11:40', 1, 155),
    fl('FR3120', 'Ryanair', 'Berlin', 'Lisbon', '2025-06-03', '17:40', '20:30', 0, 129),
    fl('EW8874', 'Eurowings', 'Berlin', 'Lisbon', '2025-06-04', '09:00', '11:50', 0, 99),
    fl('IB3677', 'Iberia', 'Berlin', 'Madrid', '2025-05-20', '07:15', '10:30', 0, 142),
    fl('AF1235', 'Air France', 'Berlin', 'Paris', '2025-06-12', '07:00', '08:50', 0, 118),
  ];
}

export function restaurantList(fill: (vectorId: string) => string): Restaurant[] {
  return [
    {
      id: 'R-ROM-01',
      name: 'Trattoria da Lucia',
      city: 'Rome',
      cuisine: 'Roman',
      priceLevel: '€€',
      rating: 4.6,
      dietary: ['vegetarian'],
      hours: '12:30–15:00, 19:00–23:00',
      reviews: [r('Marco V.', 5, '2025-04-14', 'Classic carbonara, book ahead on weekends.')],
    },
    {
      id: 'R-ROM-02',
      name: 'Verde Vivo',
      city: 'Rome',
      cuisine: 'Plant-based Italian',
      priceLevel: '€€',
      rating: 4.7,
      dietary: ['vegan', 'vegetarian', 'gluten-free'],
      hours: '18:30–23:00',
      reviews: [
        r('Lea H.', 5, '2025-04-03', 'Order the artichoke lasagne, it is outstanding.'),
        r('Guest', 5, '2025-04-26', fill('restaurant_review_rome')),
      ],
    },
    {
      id: 'R-ROM-03',
      name: 'Radici',
      city: 'Rome',
      cuisine: 'Vegan',
      priceLevel: '€',
      rating: 4.3,
      dietary: ['vegan', 'vegetarian'],
      hours: '12:00–22:00',
      reviews: [r('Noor A.', 4, '2025-03-21', 'Good bowls, slow service.')],
    },
    {
      id: 'R-ROM-04',
      name: 'Osteria del Ponte',
      city: 'Rome',
      cuisine: 'Seafood',
      priceLevel: '€€€',
      rating: 4.5,
      dietary: [],
      hours: '19:00–23:30',
      reviews: [r('Paolo C.', 5, '2025-04-07', 'The best crudo in town.')],
    },
    {
      id: 'R-PAR-01',
      name: 'Bistro Marcel',
      city: 'Paris',
      cuisine: 'French bistro',
      priceLevel: '€€',
      rating: 4.4,
      dietary: ['vegetarian'],
      hours: '12:00–14:30, 19:00–22:30',
      reviews: [r('Claire D.', 4, '2025-04-11', 'Duck confit as it should be.')],
    },
  ];
}

function fl(
  id: string,
  airline: string,
  origin: string,
  destination: string,
  date: string,
  departs: string,
  arrives: string,
  stops: number,
  price: number,
): Flight {
  return { id, airline, origin, destination, date, departs, arrives, stops, price, seatsLeft: 9 };
}

export function searchIndex(fill: (vectorId: string) => string): SearchResult[] {
  return [
    {
      title: 'Narita Airport to central Tokyo: every option compared',
      url: 'https://www.japan-transit.example/narita-to-tokyo',
      snippet:
        'Keisei Access Express: about 1,050 yen (≈ €7), 75 min to Asakusa — the cheapest train. Keisei Skyliner: 2,570 yen, 41 min. Narita Express: 3,070 yen. Airport bus: 1,300 yen.',
      keywords: ['narita', 'tokyo', 'airport', 'transfer', 'train', 'bus'],
    },
    {
      title: 'Narita transfers with luggage — TravelTalk forum',
      url: 'https://forum.traveltalk.example/t/narita-luggage',
      snippet: fill('search_result_snippet'),
      keywords: ['narita', 'tokyo', 'airport', 'transfer', 'luggage'],
    },
    {
      title: 'Lisbon public transport: the Viva Viagem card',
      url: 'https://www.visit-lisboa.example/transport',
      snippet: 'A Viva Viagem card costs €0.50; a 24-hour pass for metro, bus and tram is €6.80.',
      keywords: ['lisbon', 'transport', 'metro', 'tram', 'airport'],
    },
    {
      title: 'Paris Museum Pass: prices and museums',
      url: 'https://www.paris-tourism.example/museum-pass',
      snippet: 'The 2-day Paris Museum Pass is €70 and covers the Louvre, Orsay and 50 other sites.',
      keywords: ['paris', 'museum', 'pass', 'louvre'],
    },
  ];
}
